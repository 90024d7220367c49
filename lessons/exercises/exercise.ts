/**
 * What an exercise is: a task on one lesson, two or three hints, and a check that runs
 * against a real server made from the student's copy of the lesson (see server.ts), with a
 * real client (client.ts). Plus the few steps most checks share.
 *
 * @example
 * ```ts
 * const shell = await startShell(server, server.users[0], { pty: false });
 * await shell.expect("hello\r\n");
 * ```
 * @module
 */
import { randomInt } from "node:crypto";
import type { CheckServer } from "./check-server.ts";
import { type Account, eventually, Failure, logIn, openShell, type Shell, type ShellOptions } from "./client.ts";

export interface Exercise {
  /** "3.1": the lesson's number, then the exercise's. */
  id: string;
  /** The lesson file the student's copy starts from, in lessons/. */
  lesson: string;
  /** The student's copy in exercises/, and the reference solution in lessons/solutions/. */
  file: string;
  title: string;
  /** What to do, in a few lines. */
  task: string;
  /** From a nudge to nearly the answer. */
  hints: string[];
  /** Part of what the check says about the untouched lesson (CI proves that it does). */
  untouched: string;
  check(server: CheckServer): Promise<void>;
}

/** Logs in as `account` and starts a shell. */
export async function startShell(server: CheckServer, account: Account, options: ShellOptions): Promise<Shell> {
  const client = await logIn(server.port, account);
  return openShell(client, options, server.quietMs);
}

/** Waits for the server's log to hold a line ending with `text`; `how` says how to log it. */
export function expectLogLine(server: CheckServer, text: string, how: string): Promise<void> {
  return eventually(() => server.log.some((line) => line.endsWith(text)), server.quietMs, () =>
    `the server's log has no line ending with ${JSON.stringify(text)} (within ${server.quietMs / 1000} s): ${how}`);
}

/** Fails unless exactly one log line ends with `text`. */
export function expectOnce(server: CheckServer, text: string, why: string): void {
  const count = server.log.filter((line) => line.endsWith(text)).length;
  if (count !== 1) throw new Failure(`the server logged ${JSON.stringify(text)} ${count} times, expected once: ${why}`);
}

/** One way a session ends, with the user it ends for. */
interface Ending {
  account: Account;
  how: string;
  end(shell: Shell): void;
}

/** The three ways a session can end that a server must handle alike: EOF, a close without EOF, a dropped connection. */
export function threeEndings(server: CheckServer): Ending[] {
  return [
    { account: server.users[0], how: "the client sent EOF", end: (shell) => shell.channel.end() },
    { account: server.users[1], how: "the client closed the channel without EOF", end: (shell) => shell.channel.close() },
    { account: server.alice, how: "the connection dropped", end: (shell) => shell.client.destroy() },
  ];
}

/** A made-up word: a few syllables and two digits ("moralti42"). */
export function randomWord(): string {
  const syllables = ["ka", "mo", "ri", "ta", "lu", "ne", "so", "vi", "de", "pa", "xo", "ze"];
  let word = "";
  for (let i = 0, n = 2 + randomInt(3); i < n; i++) word += syllables[randomInt(syllables.length)];
  return word + String(randomInt(10, 100));
}


/** A terminal of a random size, as a pty request carries it. */
export function randomTerminal(term = "xterm"): { term: string; cols: number; rows: number } {
  return { term, cols: 60 + Math.floor(Math.random() * 100), rows: 20 + Math.floor(Math.random() * 40) };
}
