/**
 * Runs `tutorial.ts` as its own process, the way a student does, and watches its output.
 * Every wait is bounded; `stop()` ends the process by its pid.
 *
 * @example
 * ```ts
 * const server = await startLesson("protocols");
 * // ... connect to server.port ...
 * await server.waitForLine(/^Connection lost/);
 * await server.stop();
 * ```
 * @module
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const TIMEOUT_MS = 10_000;

/** Whether the tests run under Deno (`deno test`) rather than Node. */
export const UNDER_DENO = "Deno" in globalThis;

/**
 * The command that runs `program` (tutorial.ts, or a lesson file) under the runtime running
 * the tests: under Deno with the permissions the README lists, plus lessons/ (for --protocol
 * examples) and the temporary folder the tests make keys and modules in.
 */
function command(program: string, args: string[]): [string, string[]] {
  if (!UNDER_DENO) return [process.execPath, ["--import", "tsx", program, ...args]];
  const dirs = `keys,lessons,${tmpdir()}`;
  return [process.execPath, ["run", "--no-prompt", "--allow-net=127.0.0.1", `--allow-read=${dirs}`, `--allow-write=${dirs}`, program, ...args]];
}


/** Collects a stream's text and lets a test wait until it holds a line that matches. */
class Lines {
  text = "";
  #waiters = new Set<() => void>();

  add(chunk: string): void {
    this.text += chunk;
    for (const wake of this.#waiters) wake();
  }

  /** The complete lines so far. */
  get lines(): string[] {
    return this.text.split("\n").slice(0, -1);
  }

  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length;
  }

  /** Resolves with the first line matching `pattern` once `times` lines match. */
  waitFor(pattern: RegExp, times = 1, what = "output"): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.filter((line) => pattern.test(line));
        if (found.length < times) return false;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found[0]);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no ${times}× ${pattern} in ${what} after ${TIMEOUT_MS} ms:\n${this.text}`));
      }, TIMEOUT_MS);
      if (!check()) this.#waiters.add(check);
    });
  }
}

export interface LessonProcess {
  port: number;
  stdout: Lines;
  stderr: Lines;
  /** Waits until `times` stdout lines match `pattern`. */
  waitForLine(pattern: RegExp, times?: number): Promise<string>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Resolves with the exit code; with `limitMs`, kills the process if it takes longer. */
function exited(child: ChildProcess, limitMs?: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = limitMs === undefined ? undefined : setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`process ${child.pid} did not exit within ${limitMs} ms`));
    }, limitMs);
    // "close" comes after "exit" and after the output has all been read.
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * Starts a lesson's server (`tutorial.ts --lesson <lesson>`) on a free loopback port and waits
 * until it listens. Refused passwords are answered at once (`--password-delay 0`) unless
 * `extraArgs` say otherwise.
 */
export function startLesson(lesson: string, extraArgs: string[] = []): Promise<LessonProcess> {
  return startProgram("tutorial.ts", ["--lesson", lesson, ...extraArgs]);
}

/** The same, running a lesson's own file (`lessons/05-input.ts`) as the program. */
export function startLessonFile(file: string, extraArgs: string[] = []): Promise<LessonProcess> {
  return startProgram(file, extraArgs);
}

/** One way to start a lesson, for tests that run both: by name through tutorial.ts, or its own file. */
export interface LessonStarter {
  how: string;
  start(extraArgs?: string[]): Promise<LessonProcess>;
}

/** `tutorial.ts --lesson N`, and the lesson's file run by itself: they must behave the same. */
export function bothWays(number: number, slug: string): LessonStarter[] {
  const file = `lessons/${String(number).padStart(2, "0")}-${slug}.ts`;
  return [
    { how: `tutorial.ts --lesson ${slug}`, start: (extra) => startLesson(slug, extra) },
    { how: file, start: (extra) => startLessonFile(file, extra) },
  ];
}

/**
 * Starts `program` on a free port, with refused passwords answered at once unless
 * `programArgs` say otherwise (a command such as `run 3.3` stays first), and waits until it
 * listens. `env` adds to the environment.
 */
export async function startProgram(program: string, programArgs: string[], env: Record<string, string> = {}): Promise<LessonProcess> {
  const firstFlag = programArgs.findIndex((arg) => arg.startsWith("-"));
  const [lead, flags] = firstFlag < 0 ? [programArgs, []] : [programArgs.slice(0, firstFlag), programArgs.slice(firstFlag)];
  const [executable, args] = command(program, [...lead, "--port", "0", "--password-delay", "0", ...flags]);
  const child = spawn(executable, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const stdout = new Lines();
  const stderr = new Lines();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => stdout.add(chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.add(chunk));
  const listening = stdout.waitFor(/^Listening on /, 1, "stdout");
  const first = await Promise.race([listening, exited(child).then(() => undefined)]);
  if (first === undefined) {
    listening.catch(() => {});
    throw new Error(`${program} exited with ${child.exitCode} before listening:\n${stdout.text}${stderr.text}`);
  }
  return {
    port: Number(first.split(":").pop()),
    stdout,
    stderr,
    waitForLine: (pattern, times) => stdout.waitFor(pattern, times, "stdout"),
    stop(signal = "SIGTERM") {
      // Not child.kill(): under Deno that reports the signal as the cause of death even when
      // the process caught it and exited 0.
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      return exited(child, TIMEOUT_MS);
    },
  };
}

/** Runs `tutorial.ts` with `args` to completion (bounded) and returns what it printed. */
export function runTutorial(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProgram("tutorial.ts", args);
}

/**
 * Runs `program` (tutorial.ts or a lesson file) with `args` to completion, within `limitMs`;
 * `env` adds to the environment.
 */
export async function runProgram(
  program: string,
  args: string[],
  { env = {}, limitMs = TIMEOUT_MS }: { env?: Record<string, string>; limitMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [executable, commandArgs] = command(program, args);
  const child = spawn(executable, commandArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await exited(child, limitMs);
  return { code, stdout, stderr };
}
