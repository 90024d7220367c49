/**
 * Exercise 5.3, solved: whole lines, with Backspace (a changed copy of lessons/05-input.ts).
 * Check yours: npx tsx tutorial.ts verify 5.3    (your copy: exercises/5.3-backspace.ts)
 */
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, Session } from "ssh2";
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

/** The article's SimpleSession: accepts the pty (and ignores it); the shell echoes its input. */
function simpleSession(session: Session): void {
  session.on("pty", (accept) => accept?.());
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    // The line being typed: Enter echoes it, Backspace (\x7f) takes back its last character.
    let line = "";
    channel.on("data", (bytes: Buffer) => {
      for (const char of bytes.toString("latin1")) {
        if (char === "\r") {
          channel.write(`echo: ${repr(Buffer.from(line, "latin1"))}\r\n`);
          line = "";
        } else if (char === "\x7f") line = line.slice(0, -1);
        else line += char;
      }
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
