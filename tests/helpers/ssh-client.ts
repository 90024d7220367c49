/**
 * A real SSH client (ssh2's `Client`) for the tests, with every wait bounded.
 *
 * @example
 * ```ts
 * const client = await logIn(port);
 * const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
 * await shell.waitFor("Echo protocol connected\r\n");
 * shell.channel.end();
 * const { exitCode } = await shell.closed();
 * client.end();
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Algorithms, ClientChannel, PseudoTtyOptions } from "ssh2";
import { TIMEOUT_MS } from "./lesson-process.ts";

const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

/** Rejects if `promise` takes longer than the tests' limit. */
export function within<T>(promise: Promise<T>, what: string | (() => string)): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${typeof what === "string" ? what : what()}: nothing within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves once `condition()` holds, checking after each turn of the event loop; rejects
 * (and stops checking) after the tests' limit.
 */
export function eventually(condition: () => boolean, what: string): Promise<void> {
  let checking = true;
  return within(
    new Promise<void>((resolve) => {
      const check = () => {
        if (!checking) return;
        if (condition()) resolve();
        else setImmediate(check);
      };
      check();
    }),
    what,
  ).finally(() => (checking = false));
}

export interface LogInResult {
  client?: Client;
  error?: Error;
  /** The methods the server said could continue, after each refusal. */
  methodsOffered: string[][];
}

/** Tries one password login; never throws for a refusal. `algorithms` narrows what the client offers. */
export function tryLogIn(port: number, username = "alice", password = "goodpassword", algorithms?: Algorithms): Promise<LogInResult> {
  const client = new Client();
  const methodsOffered: string[][] = [];
  let triedPassword = false;
  return within(
    new Promise<LogInResult>((resolve) => {
      client.on("ready", () => resolve({ client, methodsOffered }));
      client.on("error", (error) => {
        client.end();
        resolve({ error, methodsOffered });
      });
      client.connect({
        host: "127.0.0.1",
        port,
        username,
        readyTimeout: TIMEOUT_MS,
        ...(algorithms ? { algorithms } : {}),
        // Ask with "none" first, as OpenSSH does, then once with the password.
        authHandler(methodsLeft, _partial, next) {
          if (methodsLeft !== null) methodsOffered.push(methodsLeft);
          if (methodsLeft === null) return next({ type: "none", username });
          if (triedPassword) return next(false as never);
          triedPassword = true;
          next({ type: "password", username, password });
        },
      });
      (client as Client & { setNoDelay(v: boolean): unknown }).setNoDelay(true);
    }),
    `login as ${username}`,
  );
}

/** Logs in, or throws. */
export async function logIn(port: number, username = "alice", password = "goodpassword", algorithms?: Algorithms): Promise<Client> {
  const { client, error } = await tryLogIn(port, username, password, algorithms);
  if (!client) throw error;
  return client;
}

/** A shell channel, with all it has received so far. */
export interface Shell {
  channel: ClientChannel;
  /** Every byte received on stdout, in order. */
  received(): Buffer;
  /** Resolves once the received bytes include `text` (after `from` bytes). */
  waitFor(text: string | Buffer, from?: number): Promise<void>;
  /** Resolves when the channel closes, with the exit status if one was sent. */
  closed(): Promise<{ exitCode: number | undefined }>;
}

/** Opens a session and starts a shell in it; `pty: false` asks for no pty (like `ssh -T`). */
export function openShell(client: Client, pty: PseudoTtyOptions | false = false): Promise<Shell> {
  return within(
    new Promise<Shell>((resolve, reject) => {
      const onShell = (error: Error | undefined, channel: ClientChannel) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        const wakers = new Set<() => void>();
        let exitCode: number | undefined;
        channel.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          for (const wake of wakers) wake();
        });
        channel.on("exit", (code: number | null) => (exitCode = code ?? undefined));
        const received = () => Buffer.concat(chunks);
        const closed = new Promise<{ exitCode: number | undefined }>((done) =>
          channel.on("close", () => done({ exitCode }))
        );
        resolve({
          channel,
          received,
          waitFor(text, from = 0) {
            const wanted = Buffer.from(text);
            return within(
              new Promise<void>((done) => {
                const check = () => {
                  if (!received().subarray(from).includes(wanted)) return;
                  wakers.delete(check);
                  done();
                };
                wakers.add(check);
                check();
              }),
              () => `waiting for ${JSON.stringify(wanted.toString("latin1"))}, got ${JSON.stringify(received().toString("latin1"))}`,
            );
          },
          closed: () => within(closed, "channel close"),
        });
      };
      if (pty === false) client.shell(false as never, onShell);
      else client.shell(pty, onShell);
    }),
    "opening a shell",
  );
}

/**
 * One normal session of lesson 7, start to end: the exact banner and one exact echo. The
 * hostile-client tests run it after each attack to show the server still serves.
 */
export async function echoSessionWorks(port: number): Promise<void> {
  const client = await logIn(port);
  try {
    const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
    await shell.waitFor("Echo protocol connected\r\n");
    shell.channel.write("still here");
    await shell.waitFor("echo: 'still here'\r\n");
    if (shell.received().toString("latin1") !== "Echo protocol connected\r\necho: 'still here'\r\n") {
      throw new Error(`unexpected bytes: ${JSON.stringify(shell.received().toString("latin1"))}`);
    }
  } finally {
    client.end();
  }
}
