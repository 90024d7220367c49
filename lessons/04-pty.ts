/**
 * Lesson 4: "Twisted Conch in 60 Seconds: PTY Requests" (2011-04-10)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-pty-requests.html
 *
 * Concept map: request_pty_req → session.on("pty") → SSH_MSG_CHANNEL_REQUEST "pty-req" → RFC 4254 §6.2
 *
 * New here: the pty request is accepted, and what it carries is kept: the terminal's name
 * (your TERM) and its size (the article's `parseRequest_pty_req`; ssh2 has parsed it for us).
 * The shell then reports them and ends the session as in lesson 3.
 *
 * The original swapped the numbers: `parseRequest_pty_req` gives (rows, columns), and the
 * article printed the first as the width, so an 80x24 terminal came out "24 columns wide and
 * 80 rows tall". ssh2 names the two (`cols`, `rows`), so ours has them the right way round.
 * Like lesson 3, it sends exit-status 0, so `ssh` exits 0.
 *
 * Try it:
 *   npx tsx lessons/04-pty.ts        (or: npx tsx tutorial.ts --lesson pty)
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * In an 80x24 xterm: "Your terminal name is 'xterm'.  Your terminal is 80 columns wide and
 * 24 rows tall." Resize the window, or change the terminal name `ssh` sends (bash/zsh:
 * `export TERM=vt100`, PowerShell: `$env:TERM = "vt100"`, cmd: `set TERM=vt100`), and connect again.
 * `ssh -T` asks for no pty, and the shell says so.
 */
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "./twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";
import { repr } from "./twisted/repr.ts";

export const article: Article = {
  number: 4,
  slug: "pty",
  title: "Twisted Conch in 60 Seconds: PTY Requests",
  date: "2011-04-10",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-pty-requests.html",
  login: "password",
  tryThis: "log in; the shell tells you your terminal's name and size, then ends",
};

/**
 * Ends a session politely: exit-status 0 first (so `ssh` exits 0, not 255), then EOF and
 * close (the article's loseConnection). ssh2 drops the exit-status once the channel is ended.
 */
function endSession(channel: ServerChannel): void {
  channel.exit(0);
  channel.end();
}

/** What a pty request says about the client's terminal. */
interface Terminal {
  name: string;
  columns: number;
  rows: number;
}

/** The article's line, with the terminal name quoted as Python's %r would. */
function describeTerminal(terminal: Terminal | undefined): string {
  if (!terminal) return "You asked for no terminal (no pty request), so there is nothing to describe.\r\n";
  const name = repr(Buffer.from(terminal.name));
  return `Your terminal name is ${name}.  Your terminal is ${terminal.columns} columns wide and ${terminal.rows} rows tall.\r\n`;
}

/** The article's SimpleSession: keeps what the pty request says; the shell describes it and ends. */
function simpleSession(session: Session): void {
  let terminal: Terminal | undefined;
  session.on("pty", (accept, _reject, request) => {
    terminal = { name: request.term, columns: request.cols, rows: request.rows };
    accept?.();
  });
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    channel.write(describeTerminal(terminal));
    endSession(channel);
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
 *   4.1  Report the client's LANG
 *   4.2  Follow the window's size
 * Start one with `npx tsx tutorial.ts exercise 4.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 4.1` checks your copy
 * (`--watch`: on every save), `hint 4.1` helps, `run 4.1` serves it to the real ssh.
 */
