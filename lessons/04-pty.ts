/**
 * Lesson 4: "Twisted Conch in 60 Seconds: PTY Requests" (2011-04-10)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-pty-requests.html
 *
 * New here: the pty request is accepted, and what it carries is kept: the terminal's name
 * (your TERM) and its size (the article's `parseRequest_pty_req`). The shell then reports
 * them and ends the session as in lesson 3.
 *
 * The original swapped the numbers: `parseRequest_pty_req` gives (rows, columns), and the
 * article printed the first as the width, so an 80x24 terminal came out "24 columns wide and
 * 80 rows tall". ssh2 names the two (`cols`, `rows`), so ours has them the right way round.
 * Like lesson 3, it sends exit-status 0, so `ssh` exits 0.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson pty
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * In an 80x24 xterm: "Your terminal name is 'xterm'.  Your terminal is 80 columns wide and
 * 24 rows tall." Resize the window, or change the terminal name `ssh` sends (bash/zsh:
 * `export TERM=vt100`, PowerShell: `$env:TERM = "vt100"`, cmd: `set TERM=vt100`), and connect again.
 * `ssh -T` asks for no pty, and the shell says so.
 */
import type { Connection, ServerChannel, Session } from "ssh2";
import { Buffer } from "node:buffer";
import { password } from "./02-password.ts";
import { endSession } from "./03-channel.ts";
import type { Lesson } from "./shared/lesson.ts";
import { repr } from "./shared/repr.ts";

/** What a pty request says about the client's terminal. */
export interface Terminal {
  name: string;
  columns: number;
  rows: number;
}

/** Starts the shell of a session: `terminal` is undefined when the client asked for no pty. */
export type OpenShell = (channel: ServerChannel, terminal: Terminal | undefined, session: Session) => void;

/**
 * Accepts session channels, their pty requests (remembering the terminal) and their shell
 * requests, and hands each shell to `openShell`. Lessons 5 to 7 build on this.
 */
export function acceptShells(client: Connection, openShell: OpenShell): void {
  client.on("session", (acceptSession) => {
    const session = acceptSession();
    let terminal: Terminal | undefined;
    session.on("pty", (accept, _reject, request) => {
      terminal = { name: request.term, columns: request.cols, rows: request.rows };
      accept?.();
    });
    session.on("shell", (acceptShell) => {
      const channel = acceptShell();
      if (channel) openShell(channel, terminal, session);
    });
  });
}

/** The article's line, with the terminal name quoted as Python's %r would. */
export function describeTerminal(terminal: Terminal | undefined): string {
  if (!terminal) return "You asked for no terminal (no pty request), so there is nothing to describe.\r\n";
  const name = repr(Buffer.from(terminal.name));
  return `Your terminal name is ${name}.  Your terminal is ${terminal.columns} columns wide and ${terminal.rows} rows tall.\r\n`;
}

export const pty: Lesson = {
  number: 4,
  slug: "pty",
  title: "Twisted Conch in 60 Seconds: PTY Requests",
  date: "2011-04-10",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-pty-requests.html",
  login: "password",
  tryThis: "log in; the shell tells you your terminal's name and size, then ends",

  serve(client, context) {
    password.serve(client, context); // log in as in lesson 2
    acceptShells(client, (channel, terminal) => {
      channel.write(describeTerminal(terminal));
      endSession(channel); // as in lesson 3
    });
  },
};

/*
 * Exercise 4. Keep the session open and report each resize: on the session's "window-change",
 * write "Your terminal is now 100 columns wide and 30 rows tall." (with the new size);
 * end the session (exit-status 0) when any key is pressed.
 *
 * Copy this file to lessons/my-pty.ts, change it there, and check it:
 *   npm run exercise 4 lessons/my-pty.ts
 * (One solution is in lessons/solutions/.)
 */
