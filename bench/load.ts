/**
 * The load: real SSH clients (ssh2's Client, with TCP_NODELAY) doing what a class does to
 * a lesson server. Every wait is bounded; everything runs on loopback.
 *
 * @example
 * ```ts
 * import { openSession } from "./load.ts";
 * const session = await openSession({ host: "127.0.0.1", port: 2022, user: "alice", password: "goodpassword" });
 * await session.echo("x");
 * session.close();
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { ClientChannel } from "ssh2";

const { Client } = ssh2;
const LIMIT_MS = 30_000;
const CRLF = Buffer.from("\r\n");

export interface Target {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** A logged-in session with a pty and a shell whose banner has arrived. */
export interface Session {
  /** The cipher agreed, client to server. */
  cipher: string;
  channel: ClientChannel;
  /** Sends `key` and resolves with the ms until a whole echo line came back. */
  echo(key: string): Promise<number>;
  /** Resolves once `count` bytes of plain input (like 'a') have come back as echo lines. */
  waitForEcho(count: number): Promise<void>;
  close(): Promise<void>;
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${LIMIT_MS} ms`)), LIMIT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Connects, logs in, opens a shell with an 80x24 pty, and waits for the first output (the banner). */
export function openSession(target: Target): Promise<Session> {
  const client = new Client();
  let cipher = "";
  client.on("handshake", (agreed) => (cipher = agreed.cs.cipher));
  const ready = new Promise<void>((resolve, reject) => {
    client.once("ready", () => resolve());
    client.on("error", reject); // every error: a second one (a reset after a refusal) must not crash the load
  });
  client.connect({ host: target.host, port: target.port, username: target.user, password: target.password });
  (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
  return bounded((async (): Promise<Session> => {
    await ready;
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.shell({ term: "xterm", cols: 80, rows: 24 }, (error, stream) => (error ? reject(error) : resolve(stream)));
    });
    // What arrives: watched by at most one waiter at a time.
    let onData: ((chunk: Buffer) => void) | undefined;
    channel.on("data", (chunk: Buffer) => onData?.(chunk));
    await new Promise<void>((resolve) => (onData = () => resolve()));
    onData = undefined;
    return {
      cipher,
      channel,
      echo(key) {
        const sent = performance.now();
        return bounded(new Promise<number>((resolve) => {
          let text = "";
          onData = (chunk) => {
            text += chunk.toString("latin1");
            if (!text.endsWith("\r\n")) return;
            onData = undefined;
            resolve(performance.now() - sent);
          };
          channel.write(key);
        }), "an echo");
      },
      waitForEcho(count) {
        // The echo of plain bytes is `echo: '` + the bytes + `'\r\n`: 10 bytes around each
        // chunk. Counting line ends (a native search) is much cheaper than looking at each byte.
        return bounded(new Promise<void>((resolve) => {
          let bytes = 0;
          let lines = 0;
          let endedWithCR = false;
          onData = (chunk) => {
            bytes += chunk.length;
            if (endedWithCR && chunk[0] === 0x0a) lines++;
            for (let i = chunk.indexOf(CRLF); i !== -1; i = chunk.indexOf(CRLF, i + 2)) lines++;
            endedWithCR = chunk[chunk.length - 1] === 0x0d;
            if (bytes - 10 * lines < count) return;
            onData = undefined;
            resolve();
          };
        }), `the echo of ${count} bytes`);
      },
      close() {
        return bounded(new Promise<void>((resolve) => {
          client.once("close", () => resolve());
          client.end();
        }), "closing");
      },
    };
  })(), "opening a session").catch((error) => {
    client.end();
    throw error;
  });
}

/** Writes `total` bytes of `byte` in 32 KiB chunks, respecting back-pressure. */
export async function paste(channel: ClientChannel, byte: number, total: number): Promise<void> {
  const chunk = Buffer.alloc(32 * 1024, byte);
  for (let sent = 0; sent < total; sent += chunk.length) {
    const part = sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
    if (!channel.write(part)) await bounded(new Promise((resolve) => channel.once("drain", resolve)), "drain");
  }
}

/** Runs `work(i)` for i in 0..count-1, at most `limit` at a time. */
export async function inParallel(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await work(next++);
  }));
}
