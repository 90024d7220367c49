/**
 * Lesson 7: "Twisted Conch in 60 Seconds: Protocols" (2011-08-01)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-protocols.html
 *
 * Concept map: Protocol, SSHSessionProcessProtocol + wrapProtocol → EchoProtocol, connectProtocol → CHANNEL_DATA, EOF and CLOSE as one Protocol's events → RFC 4254 §5.2, §5.3
 *
 * New here: the last five lessons were four events (a connection is made, data arrives, the
 * input ends, the connection is gone), and those are what a Twisted `Protocol` handles. So
 * this lesson writes the echo server as a `Protocol` that knows nothing about SSH, and adds
 * an adapter, `connectProtocol`, that plugs any Protocol into a session channel: the
 * counterpart of Twisted's `SSHSessionProcessProtocol` and `wrapProtocol`. The session is
 * now the article's `SSHSession` (Twisted's ready-made session channel, where lessons 3 to 6
 * had a plain `SSHChannel`); here it is still `simpleSession`, whose shell request starts a
 * protocol. Logging in and the avatar's channelLookup are as in lessons 2 and 3.
 *
 * Fixed from the original: `connectionLost` runs exactly once per session, however it ends
 * (Twisted's wiring called it two or three times); client EOF ends the session; and the
 * session ends with exit-status 0 (lesson 3), so `ssh < file` exits 0 instead of 255.
 *
 * Try it:
 *   npx tsx lessons/07-protocols.ts        (or: npx tsx tutorial.ts --lesson protocols)
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * "Echo protocol connected", then each key comes back as in lesson 5. Leave with Enter ~.
 * and the server prints "Connection lost ConnectionDone: Connection was closed cleanly."
 * Or, in any shell: echo hello | ssh -T -p 2022 alice@localhost
 *
 * Your own Protocol: `npx tsx lessons/07-protocols.ts --protocol ./my-protocol.ts` serves
 * the Protocol your module exports (see lessons/protocols/ for two examples).
 */
import type { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "./twisted/passwords.ts";
import { ConnectionDone, ConnectionLost, Protocol, type Transport } from "./twisted/protocol.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";
import { repr } from "./twisted/repr.ts";

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

  override dataReceived(bytes: Buffer): void {
    this.transport.write(`echo: ${repr(bytes)}\r\n`);
  }

  override connectionLost(reason: Error): void {
    console.log(`Connection lost ${reason}`);
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

/*
 * Exercises on this lesson:
 *   7.1  A Protocol with a running total
 *   7.2  connectionLost, exactly once
 * Start one with `npx tsx tutorial.ts exercise 7.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 7.1` checks your copy
 * (`--watch`: on every save), `hint 7.1` helps, `run 7.1` serves it to the real ssh.
 */
