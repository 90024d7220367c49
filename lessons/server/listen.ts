/**
 * Listening: the counterpart of Twisted's `reactor.listenTCP(2022, factory)`. We accept the
 * TCP connections ourselves and hand each to the lesson's ssh2 Server when admission.ts gives
 * it a turn: before any SSH work a connection may wait in a queue, and its login is timed from
 * its arrival (`loginGraceMs`: a client may never send a valid SSH version line). Closing ends
 * every open connection.
 *
 * @example
 * ```ts
 * import { Admission } from "./admission.ts";
 * import { listen } from "./listen.ts";
 * const admission = new Admission(DEFAULT_LOGIN_LIMITS, console.error);
 * // ... server = lesson.makeServer(setup) with admission.layer() among the layers ...
 * const listener = await listen(server, admission, { host: "127.0.0.1", port: 2022 });
 * await listener.close();
 * ```
 * @module
 */
import { createServer } from "node:net";
import type { Server as NetServer } from "node:net";
import type { Server } from "ssh2";
import type { Address } from "../twisted/protocol.ts";
import type { Admission } from "./admission.ts";
import { UserError } from "./user-error.ts";

export interface Listener {
  /** The address actually bound (the real port when 0 was asked for). */
  address: Address;
  /** Stops listening, ends every open connection, and resolves once they are gone. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` and hands each socket to `server` when `admission` says it may start.
 * Rejects with a {@link UserError} when the address can't be bound.
 */
export function listen(
  server: Server,
  admission: Admission,
  { host, port }: { host: string; port: number },
): Promise<Listener> {
  const listener: NetServer = createServer((socket) => {
    admission.arrive(socket, () => server.injectSocket(socket));
  });
  return new Promise((resolve, reject) => {
    listener.once("error", (error: NodeJS.ErrnoException) => reject(bindError(error, host, port)));
    listener.listen(port, host, () => {
      listener.on("error", acceptError(admission.log));
      const bound = listener.address() as { address: string; port: number };
      resolve({
        address: { type: "TCP", host: bound.address, port: bound.port },
        close: async () => {
          const closed = new Promise<void>((done) => listener.close(() => done()));
          await Promise.all([closed, admission.closeAll()]);
        },
      });
    });
  });
}

/**
 * A connection the kernel could not hand us. Out of file descriptors (`ulimit -n`; the README's
 * "Security" section) is the one to expect in a crowd: said once a second, not per connection.
 */
function acceptError(log: (line: string) => void): (error: NodeJS.ErrnoException) => void {
  let lastMs = -Infinity;
  let missed = 0;
  return (error) => {
    const tooMany = error.code === "EMFILE" || error.code === "ENFILE";
    if (!tooMany) return log(`server: ${error.message}`);
    missed++;
    if (performance.now() - lastMs < 1000) return;
    lastMs = performance.now();
    log(`server: out of file descriptors (${error.code}): ${missed} connection(s) turned away; raise the limit (ulimit -n) or lower --max-startups`);
    missed = 0;
  };
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
