/**
 * Lesson 6: "Twisted Conch in 60 Seconds: Detecting EOF on input" (2011-06-13)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-detecting-eof-on-input.html
 *
 * Concept map: eofReceived, closed → session.on("eof") with channel "end", channel.on("close") → SSH_MSG_CHANNEL_EOF, SSH_MSG_CHANNEL_CLOSE → RFC 4254 §5.3
 *
 * New here: the two ways a session ends. When the client has no more input it sends EOF
 * (the article's `eofReceived`): the server answers "eof received". When the channel is
 * closed, whether by the server, by the client, or because the connection dropped (the
 * article's `closed`), the server prints "Channel closed" on its own stdout.
 *
 * The original only wrote "eof received" and left the channel open, so `ssh ... < file`
 * hung until you killed it. This one ends the session after the reply, with exit-status 0
 * (as in lesson 3), so `ssh` exits 0 by itself. Everything else is lesson 5.
 *
 * Try it:
 *   npx tsx lessons/06-eof.ts        (or: npx tsx tutorial.ts --lesson eof)
 *   echo hello | ssh -T -p 2022 alice@localhost
 * (the same in bash, zsh, PowerShell and cmd). You see "echo: 'hello\n'" (Windows ends the
 * line with '\r\n'), then "eof received", and the exit status is 0 (`echo $?` in bash and zsh,
 * `$LASTEXITCODE` in PowerShell, `echo %errorlevel%` in cmd); the server prints "Channel closed".
 * Interactively, with a pty, Ctrl-D is still just a byte: leave with Enter ~. and the server
 * prints "Channel closed" too.
 */
import type { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "./twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";
import { repr } from "./twisted/repr.ts";

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
    channel.on("data", (bytes: Buffer) => channel.write(`echo: ${repr(bytes)}\r\n`));
    // The article's eofReceived: the client will send nothing more, but it can still read our reply.
    onEof(channel, session, () => {
      channel.write("eof received\r\n");
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

/*
 * Exercises on this lesson:
 *   6.1  Count the input
 *   6.2  sort, over SSH
 *   6.3  Closed, once, however it ends
 * Start one with `npx tsx tutorial.ts exercise 6.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 6.1` checks your copy
 * (`--watch`: on every save), `hint 6.1` helps, `run 6.1` serves it to the real ssh.
 */
