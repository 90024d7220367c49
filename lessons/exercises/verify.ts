/**
 * One verification of a student's file: type-check it, load it as a lesson, serve it on a
 * server (server.ts) and run the exercise's check with a real client. The result says where
 * it stopped and why, with the server's log lines of that run.
 *
 * @example
 * ```ts
 * const result = await verifyFile(findExercise("3.1")!, "exercises/3.1-goodbye-by-name.ts");
 * if (!result.passed) console.log(result.message, result.log);
 * ```
 * @module
 */
import type { LessonModule } from "../server/lesson.ts";
import { loadLesson } from "../server/load-lesson.ts";
import { serveForCheck } from "./check-server.ts";
import type { Exercise } from "./exercise.ts";
import { typeCheck } from "./typecheck.ts";

/** How long a check waits in silence before it says so. */
const QUIET_MS = 2000;

export interface VerifyOptions {
  /** Skip the type-check (CI checks the shipped files with `npm run typecheck`). */
  typeCheck?: boolean;
  quietMs?: number;
  /** A new number for each re-run of the same file (watch mode), so that its new text is loaded. */
  version?: number;
}

export interface VerifyResult {
  passed: boolean;
  /** Where it stopped: the compiler, loading the file, or the check. */
  stage?: "types" | "load" | "check";
  message?: string;
  /** The server's log lines of this run. */
  log: string[];
}

export async function verifyFile(exercise: Exercise, file: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (options.typeCheck !== false) {
    const errors = await typeCheck(file);
    if (errors) return { passed: false, stage: "types", message: errors, log: [] };
  }
  let lesson: LessonModule;
  try {
    lesson = await loadLesson(file, { flag: `verify ${exercise.id}`, version: options.version });
  } catch (error) {
    return { passed: false, stage: "load", message: firstLine(error), log: [] };
  }
  let run;
  try {
    run = await serveForCheck(lesson, options.quietMs ?? QUIET_MS);
  } catch (error) {
    return { passed: false, stage: "load", message: `the server could not start: ${firstLine(error)}`, log: [] };
  }
  try {
    await exercise.check(run.server);
    return { passed: true, log: run.server.log };
  } catch (error) {
    return { passed: false, stage: "check", message: (error as Error)?.message ?? String(error), log: run.server.log };
  } finally {
    await run.close();
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n").find((line) => line.trim())?.trim() ?? "";
}
