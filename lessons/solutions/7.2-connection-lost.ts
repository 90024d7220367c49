/**
 * Exercise 7.2, solved: connectionLost says who left and how much they sent, once (a changed copy of lessons/07-protocols.ts).
 * Check yours: npx tsx tutorial.ts verify 7.2    (your copy: exercises/7.2-connection-lost.ts)
 */
import type { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "../twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "../twisted/passwords.ts";
import { ConnectionDone, ConnectionLost, Protocol, type Transport } from "../twisted/protocol.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "../twisted/reactor.ts";
import { repr } from "../twisted/repr.ts";

export const article: Article = {
  number: 7,
  slug: "protocols",
  title: "Twisted Conch in 60 Seconds: Protocols",
  date: "2011-08-01",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-protocols.html",
  login: "password",
  tryThis: 'you see "Echo protocol connected", then each key echoed; leave with Enter ~.',
};

/** The article's protocol: a banner, then each chunk of input echoed as its Python repr. */
export class EchoProtocol extends Protocol {
  override connectionMade(): void {
    this.transport.write("Echo protocol connected\r\n");
  }

  bytes = 0;

  override dataReceived(bytes: Buffer): void {
    this.bytes += bytes.length;
    this.transport.write(`echo: ${repr(bytes)}\r\n`);
  }

  // The adapter calls this exactly once per session, however it ends.
  override connectionLost(): void {
    console.log(`${this.transport.getUser()} left after ${this.bytes} bytes`);
  }
}

/**
 * Connects `protocol` to a shell's channel, both ways: the channel becomes the protocol's
 * transport (the article's SSHSessionProcessProtocol), and the channel's events become the
 * protocol's (its wrapProtocol). `connectionLost` is called exactly once, when the channel
 * closes: with ConnectionDone, or with ConnectionLost when the connection failed (a reset).
 * An exception in the protocol is the connection's error: logged, and the connection ends.
 */
function connectProtocol(protocol: Protocol, channel: ServerChannel, session: Session, client: Connection, context: Context): void {
  let failure: Error | undefined;
  const guard = (callback: () => void) => {
    try {
      callback();
    } catch (error) {
      client.emit("error", error);
    }
  };
  const transport: Transport = {
    write(data) {
      if (channel.writable) channel.write(data);
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
 * Ends a session politely: exit-status 0 first (so `ssh` exits 0, not 255), then EOF and
 * close (the article's loseConnection). ssh2 drops the exit-status once the channel is ended.
 */
function endSession(channel: ServerChannel): void {
  channel.exit(0);
  channel.end();
}

/**
 * Calls `eofReceived` once the client has sent EOF and every byte it sent before has been
 * read (the article's `eofReceived`). ssh2 tells the session about the EOF ("eof") as soon as
 * it arrives, which can be before the input ahead of it has reached our "data" listener.
 * The channel's "end" comes after that input, but it also comes when the channel is closed
 * or the connection drops. Only both together mean "the input is complete".
 */
function onEof(channel: ServerChannel, session: Session, eofReceived: () => void): void {
  let eofArrived = false;
  session.once("eof", () => (eofArrived = true));
  channel.once("end", () => {
    if (eofArrived) eofReceived();
  });
}

/** The article's SimpleSession (an SSHSession): accepts the pty; the shell starts a protocol. */
function simpleSession(session: Session, client: Connection, context: Context, makeProtocol: () => Protocol): void {
  session.on("pty", (accept) => accept?.());
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    connectProtocol(makeProtocol(), channel, session, client, context);
  });
}

/** One SSH connection. The article's Portal with its FilePasswordDB checker: who may log in. */
function connectionMade(client: Connection, context: Context, passwords: PasswordFile, makeProtocol: () => Protocol): void {
  client.on("authentication", (attempt) => {
    // OpenSSH first asks with method "none", to learn which methods there are.
    if (attempt.method === "password" && passwords.check(attempt.username, attempt.password)) {
      return attempt.accept();
    }
    attempt.reject(["password"]);
  });
  // The article's SimpleRealm.requestAvatar: a ConchUser whose channelLookup maps "session" to SimpleSession.
  client.on("session", (accept) => simpleSession(accept(), client, context, makeProtocol));
}

/**
 * The article's SSHFactory: an ssh2 Server with the host key, handing it each connection.
 * Each shell gets a new protocol from `makeProtocol` (`--protocol` serves yours).
 */
export function makeServer(setup: Setup, makeProtocol: () => Protocol = () => new EchoProtocol()): ssh2.Server {
  const hostKeys = loadHostKeys(setup.keys); // the article's Key.fromString(privateBlob)
  const passwords = readPasswordFile(setup.passwordFile); // the article's FilePasswordDB("ssh-passwords")
  const handler = (client: Connection, context: Context) => connectionMade(client, context, passwords, makeProtocol);
  return new ssh2.Server({ hostKeys, algorithms: setup.algorithms }, setup.wrap(handler));
}

// The article's reactor.listenTCP(2022, factory) and reactor.run(), when this file is the program.
if (isMain(import.meta)) listenTCP(2022, { article, makeServer });
