/**
 * What an exercise is: a task on one lesson, two or three hints, and a check that runs
 * against a real server made from the student's copy of the lesson (see bench.ts), with a
 * real client (client.ts). Plus the few steps most checks share.
 *
 * @example
 * ```ts
 * const shell = await startShell(bench, bench.users[0], { pty: false });
 * await shell.expect("hello\r\n");
 * ```
 * @module
 */
import type { Bench } from "./bench.ts";
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
  check(bench: Bench): Promise<void>;
}

/** Logs in as `account` and starts a shell. */
export async function startShell(bench: Bench, account: Account, options: ShellOptions): Promise<Shell> {
  const client = await logIn(bench.port, account);
  return openShell(client, options, bench.quietMs);
}

/** Waits for the server's log to hold a line ending with `text`; `how` says how to log it. */
export function expectLogLine(bench: Bench, text: string, how: string): Promise<void> {
  return eventually(() => bench.log.some((line) => line.endsWith(text)), bench.quietMs, () =>
    `the server's log has no line ending with ${JSON.stringify(text)} (within ${bench.quietMs / 1000} s): ${how}`);
}

/** Fails unless exactly one log line ends with `text`. */
export function expectOnce(bench: Bench, text: string, why: string): void {
  const count = bench.log.filter((line) => line.endsWith(text)).length;
  if (count !== 1) throw new Failure(`the server logged ${JSON.stringify(text)} ${count} times, expected once: ${why}`);
}

/** One way a session ends, with the user it ends for. */
export interface Ending {
  account: Account;
  how: string;
  end(shell: Shell): void;
}

/** The three ways a session can end that a server must handle alike: EOF, a close without EOF, a dropped connection. */
export function threeEndings(bench: Bench): Ending[] {
  return [
    { account: bench.users[0], how: "the client sent EOF", end: (shell) => shell.channel.end() },
    { account: bench.users[1], how: "the client closed the channel without EOF", end: (shell) => shell.channel.close() },
    { account: bench.alice, how: "the connection dropped", end: (shell) => shell.client.destroy() },
  ];
}

/** A terminal of a random size, as a pty request carries it. */
export function randomTerminal(term = "xterm"): { term: string; cols: number; rows: number } {
  return { term, cols: 60 + Math.floor(Math.random() * 100), rows: 20 + Math.floor(Math.random() * 40) };
}
