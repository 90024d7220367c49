/**
 * Lesson 7: "Twisted Conch in 60 Seconds: Protocols" (2011-08-01)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-protocols.html
 *
 * New here: the last five lessons were four events (a connection is made, data arrives, the
 * input ends, the connection is gone), and those are what a Twisted `Protocol` handles. So
 * this lesson writes the echo server as a `Protocol` that knows nothing about SSH, and adds
 * an adapter, `connectProtocol`, that plugs any Protocol into a session channel: the
 * counterpart of Twisted's `SSHSessionProcessProtocol` and `wrapProtocol`. Logging in, the
 * pty and the shell are as in lessons 2 and 4.
 *
 * Fixed from the original: `connectionLost` runs exactly once per session, however it ends
 * (Twisted's wiring called it two or three times); client EOF ends the session; and the
 * session ends with exit-status 0 (lesson 3), so `ssh < file` exits 0 instead of 255.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson protocols
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * "Echo protocol connected", then each key comes back as in lesson 5. Leave with Enter ~.
 * and the server prints "Connection lost ConnectionDone: Connection was closed cleanly."
 * Or, in any shell: echo hello | ssh -T -p 2022 alice@localhost
 *
 * Your own Protocol: `npx tsx tutorial.ts --lesson protocols --protocol ./my-protocol.ts` serves
 * the Protocol your module exports (see lessons/protocols/ for two examples).
 */
import type { Buffer } from "node:buffer";
import type { Connection, ServerChannel, Session } from "ssh2";
import { password } from "./02-password.ts";
import { endSession } from "./03-channel.ts";
import { acceptShells } from "./04-pty.ts";
import { onEof } from "./06-eof.ts";
import type { Address, ConnectionContext, Lesson } from "./shared/lesson.ts";
import { repr } from "./shared/repr.ts";
import { send } from "./shared/send.ts";

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
 *
 * @example
 * ```ts
 * class Hello extends Protocol {
 *   override connectionMade() {
 *     this.transport.write("hello\r\n");
 *     this.transport.loseConnection();
 *   }
 * }
 * ```
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

/** The article's protocol: a banner, then each chunk of input echoed as its Python repr. */
export class EchoProtocol extends Protocol {
  override connectionMade(): void {
    this.transport.write("Echo protocol connected\r\n");
  }

  override dataReceived(bytes: Buffer): void {
    this.transport.write(`echo: ${repr(bytes)}\r\n`);
  }

  override connectionLost(reason: Error): void {
    console.log(`Connection lost ${reason}`);
  }
}

/** Everything `connectProtocol` plugs a protocol into. */
export interface Shell {
  client: Connection;
  channel: ServerChannel;
  session: Session;
  /** The connection's addresses and login name. */
  context: ConnectionContext;
}

/**
 * Connects `protocol` to a shell's channel, both ways: the channel becomes the protocol's
 * transport, and the channel's events become the protocol's. `connectionLost` is called
 * exactly once, when the channel closes: with ConnectionDone, or with ConnectionLost when
 * the connection failed (a reset, say).
 */
export function connectProtocol(protocol: Protocol, { client, channel, session, context }: Shell): void {
  let failure: Error | undefined;
  // An exception in the protocol is the connection's error: logged, and the connection ends.
  const guard = (callback: () => void) => {
    try {
      callback();
    } catch (error) {
      client.emit("error", error);
    }
  };
  const transport: Transport = {
    write(data) {
      if (channel.writable) send(channel, data); // write, or wait while the client is behind
    },
    loseConnection() {
      if (channel.writable) endSession(channel); // exit-status 0, EOF, close (lesson 3)
    },
    getPeer: () => context.peer,
    getHost: () => context.host,
    getUser: () => context.user ?? "",
  };

  guard(() => protocol.makeConnection(transport)); // connectionMade: the banner goes out first
  channel.on("data", (bytes: Buffer) => guard(() => protocol.dataReceived(bytes)));
  onEof(channel, session, () => transport.loseConnection()); // no more input: end the session (lesson 6)
  const noteFailure = (error: Error) => (failure ??= error);
  client.on("error", noteFailure);
  channel.once("close", () => {
    client.off("error", noteFailure); // the connection may outlive this session
    guard(() => protocol.connectionLost(failure ? new ConnectionLost(failure.message) : new ConnectionDone()));
  });
}

/**
 * Lesson 7's server with any Protocol: a new one from `makeProtocol` for each shell. This is
 * what `tutorial.ts --protocol ./my-protocol.ts` serves.
 */
export function protocolsWith(makeProtocol: () => Protocol): Lesson {
  return {
    number: 7,
    slug: "protocols",
    title: "Twisted Conch in 60 Seconds: Protocols",
    date: "2011-08-01",
    url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-protocols.html",
    login: "password",
    tryThis: 'you see "Echo protocol connected", then each key echoed; leave with Enter ~.',

    serve(client, context) {
      password.serve(client, context); // log in as in lesson 2
      acceptShells(client, (channel, _terminal, session) => {
        connectProtocol(makeProtocol(), { client, channel, session, context });
      });
    },
  };
}

export const protocols: Lesson = protocolsWith(() => new EchoProtocol());

/*
 * Exercise 7. Write a Protocol that keeps a running total: answer each chunk with "total: 5 bytes"
 * (the bytes so far) and hang up (loseConnection) when a chunk holds "q".
 *
 * Copy this file to lessons/my-protocols.ts, change it there, and check it:
 *   npm run exercise 7 lessons/my-protocols.ts
 * (One solution is in lessons/solutions/.)
 */
