/**
 * Lesson 5: "Twisted Conch in 60 Seconds: Accepting Input" (2011-04-19)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-accepting-input.html
 *
 * Concept map: dataReceived → channel.on("data") → SSH_MSG_CHANNEL_DATA → RFC 4254 §5.2
 *
 * New here: input. Whatever the client sends on the channel arrives as chunks of bytes
 * (the article's `dataReceived`), and each chunk is echoed back as Python's repr of it:
 * `echo: 'h'`. The pty request is accepted and not used, the shell is accepted, and there
 * is no banner.
 *
 * Because the pty is granted, your terminal is in raw mode: each key goes out as you press
 * it, with no local echo. Enter is '\r', Ctrl-C is '\x03' and Ctrl-D is '\x04': here they are
 * just bytes, so nothing ends the session. A paste arrives as one chunk (or a few), because
 * a byte stream keeps no message boundaries. Leave with the ssh escape: Enter, then `~.`.
 * End of input is not handled yet: that is lesson 6.
 *
 * Try it:
 *   npx tsx lessons/05-input.ts        (or: npx tsx tutorial.ts --lesson input)
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * Type h, Enter, Ctrl-C, an arrow key, paste "it's" or "ü", then Enter ~. to leave.
 */
import type { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, Session } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "./twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";
import { repr } from "./twisted/repr.ts";

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
    // The article's dataReceived: each chunk, as it arrives, echoed as its Python repr.
    channel.on("data", (bytes: Buffer) => channel.write(`echo: ${repr(bytes)}\r\n`));
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

/*
 * Exercises on this lesson:
 *   5.1  Ctrl-D ends the session
 *   5.2  Echo whole lines
 *   5.3  Backspace edits the line
 * Start one with `npx tsx tutorial.ts exercise 5.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 5.1` checks your copy
 * (`--watch`: on every save), `hint 5.1` helps, `run 5.1` serves it to the real ssh.
 */
