/**
 * Listening: the counterpart of Twisted's `reactor.listenTCP(2022, factory)`. We accept the
 * TCP connections ourselves and hand each to the lesson's ssh2 Server, to refuse extra ones
 * before any crypto work (`maxStartups`) and to time the login from the first byte
 * (`loginGraceMs`: a client may never send a valid SSH version line). Closing ends every
 * open connection.
 *
 * @example
 * ```ts
 * import { Connections, listen } from "./listen.ts";
 * const connections = new Connections(DEFAULT_LOGIN_LIMITS, console.error);
 * // ... server = lesson.makeServer(setup) with connections.layer() among the layers ...
 * const listener = await listen(server, connections, { host: "127.0.0.1", port: 2022 });
 * await listener.close();
 * ```
 * @module
 */
import { createServer } from "node:net";
import type { Server as NetServer, Socket } from "node:net";
import type { Connection, Server } from "ssh2";
import type { Address } from "../twisted/protocol.ts";
import type { Middleware } from "./lesson.ts";
import type { LoginLimits } from "./login-limits.ts";
import { endConnection } from "./connections.ts";
import { onDisconnectSent, socketOf } from "./ssh2-hooks.ts";
import { UserError } from "./user-error.ts";

/** SSH_MSG_DISCONNECT reasons (RFC 4253 §11.1) that ssh2's server sends by itself. */
const DISCONNECT_REASONS: Record<number, string> = { 2: "protocol error", 3: "key exchange failed", 7: "service not available" };
const BY_APPLICATION = 11;

/** The open connections, and the sockets still logging in (each with its login clock). */
export class Connections {
  readonly open = new Set<Connection>();
  readonly loggingIn = new Map<Socket, () => void>(); // socket → stop its clock
  /**
   * How the server ended a socket before its login, if it did: "explained" when a log line
   * already says why (an error, the grace timer, our own end()), else the reason ssh2 gave in
   * the DISCONNECT it sent by itself.
   */
  readonly #endings = new WeakMap<Socket, string>();

  constructor(readonly limits: LoginLimits, readonly log: (line: string) => void) {}

  /** The layer that tells this list about each SSH connection: open, logged in, closed. */
  layer(): Middleware {
    // Listeners shared by every connection (each gets its connection as `this`).
    const endings = this.#endings;
    const { open, loggingIn } = this;
    function errored(this: Connection) {
      endings.set(socketOf(this), "explained"); // endOnError logs it
    }
    function disconnected(reason: number | undefined, client: Connection) {
      const socket = socketOf(client);
      if (endings.has(socket)) return;
      const byUs = reason === undefined || reason === BY_APPLICATION;
      endings.set(socket, byUs ? "explained" : DISCONNECT_REASONS[reason] ?? `SSH disconnect reason ${reason}`);
    }
    function ready(this: Connection) {
      loggingIn.get(socketOf(this))?.();
    }
    function closed(this: Connection) {
      open.delete(this);
    }
    return (next) => (client, context) => {
      open.add(client);
      client.on("error", errored);
      onDisconnectSent(client, disconnected);
      client.on("ready", ready); // ssh2 says each once
      client.on("close", closed);
      next(client, context);
    };
  }

  /** Starts a new TCP connection's login clock; false if too many are logging in already. */
  admit(socket: Socket): boolean {
    const from = `[${socket.remoteAddress}:${socket.remotePort}]`;
    if (this.loggingIn.size >= this.limits.maxStartups) {
      this.log(`${from} refused: ${this.loggingIn.size} connections are still logging in`);
      return false;
    }
    const grace = setTimeout(() => {
      this.#endings.set(socket, "explained");
      this.log(`${from} did not log in within ${this.limits.loginGraceMs / 1000} s; disconnecting`);
      socket.destroy();
    }, this.limits.loginGraceMs);
    const stopClock = () => {
      clearTimeout(grace);
      this.loggingIn.delete(socket);
    };
    this.loggingIn.set(socket, stopClock);
    socket.once("close", () => {
      const ending = this.#endings.get(socket);
      if (this.loggingIn.has(socket) && ending !== "explained") {
        this.log(`${from} ${ending === undefined ? "left without logging in" : `cut off by ssh2 before logging in: ${ending}`}`);
      }
      stopClock();
    });
    return true;
  }

  /** Ends every connection: those still logging in at once, the others with an SSH disconnect. */
  async closeAll(): Promise<void> {
    for (const socket of this.loggingIn.keys()) socket.destroy();
    await Promise.all([...this.open].map((client) =>
      new Promise<void>((resolve) => {
        client.once("close", () => resolve());
        endConnection(client);
        // A client that never answers the disconnect is cut off after a second.
        setTimeout(() => socketOf(client).destroy(), 1000).unref();
      })
    ));
  }
}

export interface Listener {
  /** The address actually bound (the real port when 0 was asked for). */
  address: Address;
  /** Stops listening, ends every open connection, and resolves once they are gone. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` and hands each admitted socket to `server`. Rejects with a {@link UserError} when the address can't be bound.
 */
export function listen(
  server: Server,
  connections: Connections,
  { host, port }: { host: string; port: number },
): Promise<Listener> {
  const listener: NetServer = createServer((socket) => {
    if (!connections.admit(socket)) return void socket.destroy();
    server.injectSocket(socket);
  });
  return new Promise((resolve, reject) => {
    listener.once("error", (error: NodeJS.ErrnoException) => reject(bindError(error, host, port)));
    listener.listen(port, host, () => {
      listener.on("error", (error: Error) => connections.log(`server: ${error.message}`));
      const bound = listener.address() as { address: string; port: number };
      resolve({
        address: { type: "TCP", host: bound.address, port: bound.port },
        close: async () => {
          const closed = new Promise<void>((done) => listener.close(() => done()));
          await Promise.all([closed, connections.closeAll()]);
        },
      });
    });
  });
}

function bindError(error: NodeJS.ErrnoException, host: string, port: number): Error {
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
