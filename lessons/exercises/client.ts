/**
 * The real SSH client the exercises' checks drive (ssh2's `Client`), whose failures speak the
 * student's language: what was expected, what came instead. Every wait ends as soon as the
 * server has given up (the channel closed, the connection dropped), or after `quietMs` of
 * silence: never a long wait on a channel that is already closed.
 *
 * @example
 * ```ts
 * const client = await logIn(port, { user: "alice", password: "goodpassword" }, 3000);
 * const shell = await openShell(client, { pty: false }, 3000);
 * await shell.expect("This session is very simple.  Goodbye!\r\n");
 * await shell.expectEnd({ exitStatus: 0 });
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { ClientChannel } from "ssh2";

const { Client } = ssh2;
export type Client = InstanceType<typeof Client>;

/** A check that did not pass: the message is for the student. */
export class Failure extends Error {
  override name = "Failure";
}

export interface Account {
  user: string;
  password: string;
}

/** Bytes as the student would write them in a string: "Goodbye!\r\n". */
function show(bytes: string | Buffer): string {
  return JSON.stringify(typeof bytes === "string" ? bytes : bytes.toString("latin1"));
}

/** Key exchange and login can take a while on a busy machine; this bounds them. */
const LOGIN_MS = 15_000;

/** Rejects with `message()` when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Failure(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface LoginResult {
  client?: Client;
  /** The methods the server offered after each refusal. */
  offered: string[][];
  /** Why the login failed, as ssh2 says it. */
  error?: Error;
}

/**
 * One login, as OpenSSH tries it: method "none" first, then the password once, whatever
 * methods the server offers. A refusal is a result, not an exception.
 */
export function tryLogIn(port: number, { user, password }: Account): Promise<LoginResult> {
  const client = new Client();
  const offered: string[][] = [];
  let triedPassword = false;
  const result = new Promise<LoginResult>((resolve) => {
    client.on("ready", () => resolve({ client, offered }));
    client.on("error", (error) => {
      client.end();
      resolve({ error, offered });
    });
    client.on("close", () => resolve({ error: new Error("the connection closed"), offered }));
    client.connect({
      host: "127.0.0.1",
      port,
      username: user,
      readyTimeout: LOGIN_MS,
      authHandler(methodsLeft, _partial, next) {
        if (methodsLeft === null) return next({ type: "none", username: user });
        offered.push(methodsLeft);
        if (triedPassword) return next(false as never);
        triedPassword = true;
        next({ type: "password", username: user, password });
      },
    });
  });
  return within(result, LOGIN_MS, () => `logging in as ${user} took more than ${LOGIN_MS / 1000} s`).catch((error) => {
    client.end();
    throw error;
  });
}

/** Logs in, or fails saying who was refused. */
export async function logIn(port: number, account: Account): Promise<Client> {
  const { client, error } = await tryLogIn(port, account);
  if (!client) {
    throw new Failure(`${account.user} could not log in with the password ${show(account.password)} (${error?.message})`);
  }
  return client;
}

export interface ShellOptions {
  /** The terminal to ask for (a pty request), or false for none (`ssh -T`). */
  pty: { term: string; cols: number; rows: number } | false;
  /** Environment variables to send first (OpenSSH's SendEnv / SetEnv). */
  env?: Record<string, string>;
}

/** A shell channel as the student's server drives it. */
export interface Shell {
  /** The connection the shell runs on (`client.destroy()` drops it). */
  client: Client;
  channel: ClientChannel;
  /** Every byte received so far. */
  received(): Buffer;
  /** The exit-status, once it has come. */
  exitStatus(): number | undefined;
  /** Waits for exactly `text` as the next bytes: fails at the first wrong byte, at the close, or after silence. */
  expect(text: string, why?: string): Promise<void>;
  /** Waits for the channel to close with nothing more sent, then checks the exit-status. */
  expectEnd(want: { exitStatus?: number; why?: string }): Promise<void>;
  /** Whether the channel has closed. */
  isClosed(): boolean;
}

/** Opens a session and starts a shell in it, failing in the student's terms if any step is refused. */
export function openShell(client: Client, options: ShellOptions, quietMs: number): Promise<Shell> {
  const opened = new Promise<Shell>((resolve, reject) => {
    const onShell = (error: Error | undefined, channel: ClientChannel) => {
      if (error) return reject(new Failure(refusal(error, options)));
      resolve(watch(client, channel, quietMs));
    };
    const extra = options.env ? { env: options.env } : {};
    try {
      if (options.pty === false) client.shell(false as never, extra, onShell);
      else client.shell(options.pty, extra, onShell);
    } catch (error) {
      reject(new Failure(`the connection was gone before a session could be opened (${(error as Error).message})`));
    }
    client.once("close", () => reject(new Failure("the server closed the connection before the shell started")));
  });
  return within(opened, LOGIN_MS, () => "opening a session and a shell got no answer");
}

/** What a refused step of `openShell` means for the student. */
function refusal(error: Error, options: ShellOptions): string {
  const message = error.message;
  if (/pseudo-terminal/.test(message)) {
    return `the server refused the pty request (${options.pty ? `${options.pty.term} ${options.pty.cols}x${options.pty.rows}` : ""}): ` +
      "`ssh -t` and a plain `ssh` from a terminal ask for one, and OpenSSH then gives up on the session";
  }
  if (/shell/.test(message)) return "the server refused the shell request: accept it in session.on(\"shell\")";
  return `the server did not open a session channel (${message}): listen for "session" on the connection and accept it`;
}

function watch(client: Client, channel: ClientChannel, quietMs: number): Shell {
  const chunks: Buffer[] = [];
  let read = 0; // how far expect() has matched
  let status: number | undefined;
  let closed = false;
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const waker of [...wakers]) waker();
  };
  channel.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    wake();
  });
  channel.stderr.on("data", () => {});
  channel.on("exit", (code: number | null) => {
    status = code ?? undefined;
    wake();
  });
  channel.on("close", () => {
    closed = true;
    wake();
  });
  const received = () => Buffer.concat(chunks);

  /** Resolves when `settled()` returns a result; fails after `quietMs` with no new bytes. */
  const waitUntil = <T>(settled: () => T | undefined, silence: () => string) =>
    new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout>;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Failure(silence()));
        }, quietMs);
      };
      const check = () => {
        try {
          const result = settled();
          if (result === undefined) return arm();
          wakers.delete(check);
          clearTimeout(timer);
          resolve(result);
        } catch (error) {
          wakers.delete(check);
          clearTimeout(timer);
          reject(error);
        }
      };
      wakers.add(check);
      check();
    });

  return {
    client,
    channel,
    received,
    exitStatus: () => status,
    isClosed: () => closed,
    async expect(text, why) {
      const wanted = Buffer.from(text, "latin1");
      const start = read;
      const because = why ? ` (${why})` : "";
      await waitUntil(() => {
        const got = received().subarray(start);
        const common = Math.min(got.length, wanted.length);
        for (let i = 0; i < common; i++) {
          if (got[i] !== wanted[i]) {
            throw new Failure(`expected ${show(wanted)}${because}, but the server sent ${show(got)}`);
          }
        }
        if (got.length >= wanted.length) {
          read = start + wanted.length;
          return true;
        }
        if (closed) {
          throw new Failure(got.length === 0
            ? `expected ${show(wanted)}${because}, but the session ended without sending it`
            : `expected ${show(wanted)}${because}, but the session ended after only ${show(got)}`);
        }
        return undefined;
      }, () => {
        const got = received().subarray(start);
        return `expected ${show(wanted)}${because}, but ${got.length ? `only ${show(got)} came` : "nothing came"} within ${quietMs / 1000} s`;
      });
    },
    async expectEnd({ exitStatus, why }) {
      const because = why ? ` (${why})` : "";
      await waitUntil(() => {
        const extra = received().subarray(read);
        if (extra.length > 0) throw new Failure(`expected the session to end${because}, but the server sent ${show(extra)}`);
        if (!closed) return undefined;
        if (exitStatus !== undefined && status === undefined) {
          throw new Failure(`the session ended without an exit-status${because}: call \`channel.exit(${exitStatus})\` ` +
            "before `channel.end()` (ssh2 drops an exit-status sent after the end, and `ssh` then exits 255)");
        }
        if (exitStatus !== undefined && status !== exitStatus) {
          throw new Failure(`the session ended with exit-status ${status}, expected ${exitStatus}${because}`);
        }
        return true;
      }, () => `expected the session to end${because}, but it was still open after ${quietMs / 1000} s`);
    },
  };
}

/** Waits until `condition()` holds, checking each turn of the event loop; fails with `message` after `ms`. */
export function eventually(condition: () => boolean, ms: number, message: () => string): Promise<void> {
  let checking = true;
  return within(
    new Promise<void>((resolve) => {
      const check = () => {
        if (!checking) return;
        if (condition()) resolve();
        else setTimeout(check, 5);
      };
      check();
    }),
    ms,
    message,
  ).finally(() => (checking = false));
}
