/**
 * A plain TCP connection to the server, for the clients that do not speak SSH properly.
 *
 * @example
 * ```ts
 * const raw = await RawSocket.connect(port);
 * raw.socket.write("GET / HTTP/1.1\r\n\r\n");
 * await raw.closed();
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import { connect, type Socket } from "node:net";
import { within } from "./ssh-client.ts";

export class RawSocket {
  received = Buffer.alloc(0);
  readonly #closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on("error", () => {}); // a reset from the server is one of the expected endings
    this.#closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  static connect(port: number): Promise<RawSocket> {
    return within(
      new Promise((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => resolve(new RawSocket(socket)));
        socket.once("error", reject);
      }),
      "TCP connect",
    );
  }

  /** Resolves when the server has closed the connection (bounded). */
  closed(): Promise<void> {
    return within(this.#closed, () => `server closing the connection; got ${JSON.stringify(this.received.toString("latin1"))}`);
  }

  /** Resolves once the server's SSH version line has arrived. */
  versionLine(): Promise<string> {
    return within(
      new Promise((resolve) => {
        const check = () => {
          const text = this.received.toString("latin1");
          if (!text.includes("\r\n")) return;
          this.socket.off("data", check);
          resolve(text.slice(0, text.indexOf("\r\n")));
        };
        this.socket.on("data", check);
        check();
      }),
      "the server's version line",
    );
  }
}
