/**
 * The server an exercise's checks run against: the student's lesson file served by the tutorial's
 * own machinery (`serveLesson`, as `--lesson <file>` serves it) on a free loopback port, with
 * a password file of freshly made-up users (so no check can be passed by hard-coding a
 * name), and every log line of the run kept: the tutorial's, `context.log`'s, and what the
 * student's code prints with `console.log`.
 *
 * @example
 * ```ts
 * const run = await serveForCheck(lesson, 2000);
 * try { await exercise.check(run.server); } finally { await run.close(); }
 * console.log(run.server.log.join("\n"));
 * ```
 * @module
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import process from "node:process";
import { format } from "node:util";
import { loadHostKeys } from "../twisted/keys.ts";
import type { LessonModule } from "../server/lesson.ts";
import { DEFAULT_KEYS } from "../server/options.ts";
import { serveLesson } from "../server/start.ts";
import type { Account } from "./client.ts";
import { randomWord } from "./exercise.ts";

/** What a check gets: where the server is, who may log in, and its log so far. */
export interface CheckServer {
  port: number;
  /** The server's log lines so far (stderr and stdout of the run). */
  log: string[];
  /** How long a check waits in silence before it gives up. */
  quietMs: number;
  /** Two users of this run's password file, with made-up names and passwords. */
  users: [Account, Account];
  /** The article's demo user alice, also in the password file. */
  alice: Account;
}

interface RunningCheck {
  server: CheckServer;
  close(): Promise<void>;
}

/** Serves `lesson` for one run of checks. Console output is captured until `close()`. */
export async function serveForCheck(lesson: LessonModule, quietMs: number): Promise<RunningCheck> {
  const first = randomWord();
  let second = randomWord();
  while (second === first) second = randomWord();
  const users: [Account, Account] = [
    { user: first, password: randomWord() },
    { user: second, password: randomWord() },
  ];
  const alice = { user: "alice", password: "goodpassword" };
  const keys = mkdtempSync(join(tmpdir(), "exercise-keys-"));
  for (const key of loadHostKeys(DEFAULT_KEYS)) copyFileSync(key.file, join(keys, basename(key.file)));
  // The article's demo users (keys/ssh-passwords, alice among them), then this run's two.
  const demo = readFileSync(join(DEFAULT_KEYS, "ssh-passwords"), "utf8").replace(/\n?$/, "\n");
  writeFileSync(join(keys, "ssh-passwords"), demo + users.map(({ user, password }) => `${user}:${password}\n`).join(""));

  const log: string[] = [];
  const restore = captureOutput(log);
  try {
    const server = await serveLesson(lesson, { host: "127.0.0.1", port: 0, keys, limits: { passwordDelayMs: 0 }, log: (line) => log.push(line) });
    return {
      server: { port: server.address.port, log, quietMs, users, alice },
      close: async () => {
        try {
          await server.close();
        } finally {
          restore();
          rmSync(keys, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    restore();
    rmSync(keys, { recursive: true, force: true });
    throw error;
  }
}

/** Sends console output and uncaught exceptions into `log` until the returned function is called. */
function captureOutput(log: string[]): () => void {
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  const keep = (...args: unknown[]) => void log.push(...format(...args).split("\n"));
  Object.assign(console, { log: keep, error: keep, warn: keep, info: keep });
  const uncaught = (error: Error) => log.push(`uncaught exception: ${error?.stack ?? error}`);
  process.on("uncaughtException", uncaught);
  return () => {
    Object.assign(console, saved);
    process.off("uncaughtException", uncaught);
  };
}
