/**
 * Exercise 6.1, solved: EOF answered with the number of bytes that came in (a changed copy of lessons/06-eof.ts).
 * Check yours: npx tsx tutorial.ts verify 6.1    (your copy: exercises/6.1-count-bytes.ts)
 */
import type { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "../twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "../twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "../twisted/reactor.ts";
import { repr } from "../twisted/repr.ts";

export const article: Article = {
  number: 6,
  slug: "eof",
  title: "Twisted Conch in 60 Seconds: Detecting EOF on input",
  date: "2011-06-13",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-detecting-eof-on-input.html",
  login: "password",
  tryThis: "pipe a line in (echo hello | ssh -T ...): the echo, then \"eof received\", and ssh exits 0",
};

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

/** The article's SimpleSession: echoes its input, answers EOF, and reports its close. */
function simpleSession(session: Session): void {
  session.on("pty", (accept) => accept?.());
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    // The article's dataReceived: each chunk, as it arrives, echoed as its Python repr.
    let count = 0;
    channel.on("data", (bytes: Buffer) => {
      count += bytes.length;
      channel.write(`echo: ${repr(bytes)}\r\n`);
    });
    // The article's eofReceived: the client will send nothing more, but it can still read our reply.
    onEof(channel, session, () => {
      channel.write(`eof received after ${count} bytes\r\n`);
      endSession(channel);
    });
    // The article's closed: however the channel ends, this runs once.
    channel.on("close", () => console.log("Channel closed"));
  });
}

/** One SSH connection. The article's Portal with its FilePasswordDB checker: who may log in. */
function connectionMade(client: Connection, _context: Context, passwords: PasswordFile): void {
  client.on("authentication", (attempt) => {
    // OpenSSH first asks with method "none", to learn which methods there are.
    if (attempt.method === "password" && passwords.check(attempt.username, attempt.password)) {
      return attempt.accept();
    }
    attempt.reject(["password"]);
  });
  // The article's SimpleRealm.requestAvatar: a ConchUser whose channelLookup maps "session" to SimpleSession.
  client.on("session", (accept) => simpleSession(accept()));
}

/** The article's SSHFactory: an ssh2 Server with the host key, handing it each connection. */
export function makeServer(setup: Setup): ssh2.Server {
  const hostKeys = loadHostKeys(setup.keys); // the article's Key.fromString(privateBlob)
  const passwords = readPasswordFile(setup.passwordFile); // the article's FilePasswordDB("ssh-passwords")
  const handler = (client: Connection, context: Context) => connectionMade(client, context, passwords);
  return new ssh2.Server({ hostKeys, algorithms: setup.algorithms }, setup.wrap(handler));
}

// The article's reactor.listenTCP(2022, factory) and reactor.run(), when this file is the program.
if (isMain(import.meta)) listenTCP(2022, { article, makeServer });
