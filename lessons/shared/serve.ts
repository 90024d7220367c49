/**
 * The part every lesson shares and no article teaches: listen on a TCP port with the host
 * keys, hand each SSH connection to the lesson within the limits of login-limits.ts and
 * refusals.ts, keep one bad connection from taking the server down, and close everything on
 * shutdown. (Twisted's `reactor.listenTCP(2022, factory)`.)
 *
 * @example
 * ```ts
 * import { serveLesson } from "./serve.ts";
 * import { loadHostKeys } from "./host-keys.ts";
 * import { readPasswordFile } from "./password-file.ts";
 * import { introduction } from "../01-introduction.ts";
 * const server = await serveLesson({
 *   lesson: introduction, host: "127.0.0.1", port: 2022,
 *   hostKeys: loadHostKeys("keys"), passwords: await readPasswordFile("keys/ssh-passwords"),
 * });
 * await server.close();
 * ```
 * @module
 */
import { createServer } from "node:net";
import type { Server as NetServer, Socket } from "node:net";
import process from "node:process";
import ssh2 from "ssh2";
import type { CipherAlgorithm, Connection, KexAlgorithm } from "ssh2";
import type { HostKey } from "./host-keys.ts";
import type { Address, ConnectionContext, Lesson } from "./lesson.ts";
import { DEFAULT_LOGIN_LIMITS, limitLogins, type LoginLimits } from "./login-limits.ts";
import type { PasswordFile } from "./password-file.ts";
import { refuseTheRest } from "./refusals.ts";
import { type TracePrint, traceConnection } from "./trace.ts";
import { UserError } from "./user-error.ts";

const { Server } = ssh2;

/**
 * Key exchanges that work under both Node and Deno. ssh2's defaults also list
 * diffie-hellman-group-exchange, which its server does not implement, and
 * ecdh-sha2-nistp521, which fails under Deno; a client that insists on either now gets a
 * clean "no matching key exchange method" instead of a broken handshake.
 */
export const KEY_EXCHANGES: KexAlgorithm[] = [
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "ecdh-sha2-nistp256",
  "ecdh-sha2-nistp384",
  "diffie-hellman-group14-sha256",
  "diffie-hellman-group16-sha512",
  "diffie-hellman-group18-sha512",
];

/**
 * The ciphers offered. Under Node, ssh2's own list (AES-GCM first where the CPU has AES, with
 * its native binding). Under Deno there is no native binding and Deno's AES-GCM has no
 * hardware path (about 165 MB/s here, against 300 for AES-CTR with HMAC and over 1 GB/s for
 * ChaCha20): chacha20-poly1305 first, then AES-CTR, and no AES-GCM. The client's order
 * decides among what both offer (RFC 4253 §7.1), so leaving AES-GCM out is what keeps a client
 * that lists it first (ssh2's, Go's) off the slow path; OpenSSH lists chacha20 first anyway.
 */
export const CIPHERS: CipherAlgorithm[] | undefined = "Deno" in globalThis
  ? ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr"]
  : undefined;

export interface ServeOptions {
  lesson: Lesson;
  host: string;
  /** 0 picks a free port. */
  port: number;
  hostKeys: HostKey[];
  passwords: PasswordFile;
  /** Login limits; see login-limits.ts for the defaults and why. */
  limits?: Partial<LoginLimits>;
  /** Where log lines go; stderr by default. */
  log?: (line: string) => void;
  /** With `--trace`: where each SSH event of each connection is printed. */
  trace?: TracePrint;
}

export interface LessonServer {
  /** The address actually bound (the real port when 0 was asked for). */
  address: Address;
  /** Stops listening, ends every open connection, and resolves once they are gone. */
  close(): Promise<void>;
}

/** Connection members that ssh2 has but @types/ssh2 leaves out. */
type RawConnection = Connection & { setNoDelay(noDelay: boolean): unknown; _sock: Socket };

/** Starts serving `lesson`; rejects with a {@link UserError} when the address can't be bound. */
export function serveLesson(options: ServeOptions): Promise<LessonServer> {
  const { lesson, passwords } = options;
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...options.limits };
  const log = options.log ?? logToStderr;
  const open = new Set<RawConnection>();
  const loggingIn = new Map<Socket, () => void>(); // sockets not logged in yet → stop their clock
  let count = 0;

  const ssh = new Server({
    hostKeys: options.hostKeys.map((key) => ({ key: key.parsed })),
    algorithms: { kex: KEY_EXCHANGES, ...(CIPHERS && { cipher: CIPHERS }) },
  }, (connection, info) => {
    const client = connection as RawConnection;
    const tag = `[${++count} ${info.ip}:${info.port}]`;
    const say = (message: string) => log(`${tag} ${message}`);
    const socket = client._sock;
    const peer: Address = { type: "TCP", host: info.ip, port: info.port };
    const host: Address = { type: "TCP", host: socket.localAddress ?? options.host, port: socket.localPort ?? 0 };
    // Without this, Nagle's algorithm delays small writes (the banner, each echo) by ~40 ms.
    client.setNoDelay(true);
    open.add(client);
    client.once("ready", () => loggingIn.get(socket)?.());
    client.once("close", () => open.delete(client));
    // Every error ends its own connection with one line, and only that connection: ssh2's
    // errors, and exceptions thrown by the lesson's handlers (ssh2 catches those for us).
    client.on("error", (error: Error) => {
      const where = thrownAt(error);
      say(where ? `error in the lesson's code: ${error} (${where})` : error.message);
      client.end();
    });
    if (options.trace) traceConnection(client, count, info, options.trace);
    const context: ConnectionContext = { passwords, peer, host, log: say };
    limitLogins(client, limits, say, (user, method) => {
      context.user = user;
      say(`${user} logged in with ${method} (${info.header.versions.software})`);
    });
    refuseTheRest(client, say);
    lesson.serve(client, context);
  });

  // We accept the TCP connections ourselves: to refuse extra ones before any crypto work, and
  // to time the login from the first byte (a client may never send a valid SSH version line).
  const listener = createServer((socket) => {
    const from = `[${socket.remoteAddress}:${socket.remotePort}]`;
    if (loggingIn.size >= limits.maxStartups) {
      log(`${from} refused: ${loggingIn.size} connections are still logging in`);
      socket.destroy();
      return;
    }
    const grace = setTimeout(() => {
      log(`${from} did not log in within ${limits.loginGraceMs / 1000} s; disconnecting`);
      socket.destroy();
    }, limits.loginGraceMs);
    const stopClock = () => {
      clearTimeout(grace);
      loggingIn.delete(socket);
    };
    loggingIn.set(socket, stopClock);
    coalesceWrites(socket);
    socket.once("close", () => {
      if (loggingIn.has(socket)) log(`${from} left without logging in`);
      stopClock();
    });
    ssh.injectSocket(socket);
  });

  return new Promise((resolve, reject) => {
    listener.once("error", (error: NodeJS.ErrnoException) => reject(bindError(error, options)));
    listener.listen(options.port, options.host, () => {
      listener.on("error", (error: Error) => log(`server: ${error.message}`));
      const bound = listener.address() as { address: string; port: number };
      resolve({
        address: { type: "TCP", host: bound.address, port: bound.port },
        close: () => {
          for (const socket of loggingIn.keys()) socket.destroy();
          return closeAll(listener, open);
        },
      });
    });
  });
}

/**
 * ssh2 writes each SSH packet to the socket on its own, and with Nagle off each write is a
 * system call: a handshake sends several packets at once, and an echo of a 32 KB paste two.
 * Corking the socket until the end of the current tick sends a tick's packets in one call.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: unknown[]): boolean {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof socket.write;
}

/** One log line on stderr, as console.error would write it, without its formatting work. */
function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Where an exception was thrown, if that was outside ssh2 and Node (so in a lesson). */
function thrownAt(error: Error): string | undefined {
  const frame = error.stack?.split("\n").map((line) => line.trim()).find((line) => line.startsWith("at "));
  if (!frame || /node_modules|node:|ext:/.test(frame)) return undefined;
  return frame;
}

async function closeAll(listener: NetServer, open: Set<RawConnection>): Promise<void> {
  const listenerClosed = new Promise<void>((resolve) => listener.close(() => resolve()));
  const connectionsClosed = [...open].map((client) =>
    new Promise<void>((resolve) => {
      client.once("close", () => resolve());
      client.end();
      // A client that never answers the disconnect is cut off after a second.
      setTimeout(() => client._sock.destroy(), 1000).unref();
    })
  );
  await Promise.all([listenerClosed, ...connectionsClosed]);
}

function bindError(error: NodeJS.ErrnoException, { host, port }: ServeOptions): Error {
  switch (error.code) {
    case "EADDRINUSE":
      return new UserError(`port ${port} on ${host} is already in use (is another lesson running? try --port ${port + 1})`);
    case "EACCES":
      return new UserError(`not allowed to listen on port ${port} on ${host} (ports below 1024 need root; try --port 2022)`);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new UserError(`cannot listen on ${host}: no such local address (try --host 127.0.0.1)`);
    default:
      return new UserError(`cannot listen on ${host}:${port}: ${error.message}`);
  }
}
