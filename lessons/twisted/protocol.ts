/**
 * What article 7 imports from Twisted's core: `Protocol` (`twisted.internet.protocol`), the
 * transport it writes to (`ITransport`), and the reasons a connection ends
 * (`twisted.internet.error.ConnectionDone` and `ConnectionLost`). None of it knows about SSH:
 * lesson 7 connects a Protocol to an SSH session.
 *
 * @example
 * ```ts
 * import { Protocol } from "./protocol.ts";
 * class Hello extends Protocol {
 *   override connectionMade() {
 *     this.transport.write("hello\r\n");
 *     this.transport.loseConnection();
 *   }
 * }
 * ```
 * @module
 */
import type { Buffer } from "node:buffer";

/** An end of a TCP connection, like Twisted's `IPv4Address`. */
export interface Address {
  type: "TCP";
  host: string;
  port: number;
}

/** What a Protocol talks to: Twisted's `ITransport`, cut down to what the article uses. */
export interface Transport {
  write(data: string | Uint8Array): void;
  /** Ends the connection once what was written has been sent. */
  loseConnection(): void;
  getPeer(): Address;
  getHost(): Address;
  /** The login name (Twisted's avatar id); not in Twisted's ITransport, but a chat room needs it. */
  getUser(): string;
}

/** Why a connection ended, named as Twisted names it: the clean case. */
export class ConnectionDone extends Error {
  override name = "ConnectionDone";
  constructor(message = "Connection was closed cleanly.") {
    super(message);
  }
}

/** Why a connection ended: it failed (Twisted adds "in a non-clean fashion"). */
export class ConnectionLost extends Error {
  override name = "ConnectionLost";
  constructor(message = "Connection to the other side was lost in a non-clean fashion.") {
    super(message);
  }
}

/**
 * Twisted's `Protocol`: override the three events. `transport` is set before
 * `connectionMade` runs.
 */
export class Protocol {
  transport!: Transport;

  makeConnection(transport: Transport): void {
    this.transport = transport;
    this.connectionMade();
  }

  connectionMade(): void {}

  dataReceived(_data: Buffer): void {}

  connectionLost(_reason: Error): void {}
}
