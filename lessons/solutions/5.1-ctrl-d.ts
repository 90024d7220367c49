/**
 * Exercise 5.1, solved: Ctrl-D ends the session (a changed copy of lessons/05-input.ts).
 * Check yours: npx tsx tutorial.ts verify 5.1    (your copy: exercises/5.1-ctrl-d.ts)
 */
import type { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "../twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "../twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "../twisted/reactor.ts";
import { repr } from "../twisted/repr.ts";

export const article: Article = {
  number: 5,
  slug: "input",
  title: "Twisted Conch in 60 Seconds: Accepting Input",
  date: "2011-04-19",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-accepting-input.html",
  login: "password",
  tryThis: "type, paste, press Ctrl-C and Ctrl-D: each chunk comes back as echo: '...'; leave with Enter ~.",
};

/**
 * Ends a session politely: exit-status 0 first (so `ssh` exits 0, not 255), then EOF and
 * close (the article's loseConnection). ssh2 drops the exit-status once the channel is ended.
 */
function endSession(channel: ServerChannel): void {
  channel.exit(0);
  channel.end();
}

/** The article's SimpleSession: accepts the pty (and ignores it); the shell echoes its input. */
function simpleSession(session: Session): void {
  session.on("pty", (accept) => accept?.());
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    // The article's dataReceived: each chunk, as it arrives, echoed as its Python repr.
    channel.on("data", (bytes: Buffer) => {
      if (bytes.includes(0x04)) return endSession(channel); // Ctrl-D: the terminal is raw, so we decide
      channel.write(`echo: ${repr(bytes)}\r\n`);
    });
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
