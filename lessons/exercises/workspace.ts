/**
 * The student's side of the exercises: the `exercises/` folder (git-ignored), which holds
 * each exercise's copy of its lesson and `progress.json` (what has passed, which hints were
 * shown). A copy is made once and never overwritten.
 *
 * @example
 * ```ts
 * const copy = copyPath(findExercise("3.1")!); // exercises/3.1-goodbye-by-name.ts
 * makeCopy(findExercise("3.1")!);             // false if it was there already
 * ```
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Exercise } from "./exercise.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LESSONS = join(ROOT, "lessons");
/** exercises/ in the repository; the tests point it elsewhere (SSH60_EXERCISES), never at a student's work. */
const WORKSPACE = workspaceFolder();
const PROGRESS = join(WORKSPACE, "progress.json");

function workspaceFolder(): string {
  try {
    const elsewhere = process.env.SSH60_EXERCISES;
    if (elsewhere) return resolve(elsewhere);
  } catch { /* Deno without --allow-env */ }
  return join(ROOT, "exercises");
}

/** A path as the student types it: relative to the current folder. */
export function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

/** The student's copy: exercises/<file>. */
export function copyPath(exercise: Exercise): string {
  return join(WORKSPACE, exercise.file);
}

/** The reference solution: lessons/solutions/<file>. */
export function solutionPath(exercise: Exercise): string {
  return join(LESSONS, "solutions", exercise.file);
}

/**
 * The lesson's text for a copy at `destination`: the same program, with its imports of
 * lessons/twisted/ pointing there from the copy's folder.
 */
export function lessonCopyText(exercise: Exercise, destination: string): string {
  const twisted = relative(dirname(destination), join(LESSONS, "twisted")).split("\\").join("/");
  const text = readFileSync(join(LESSONS, exercise.lesson), "utf8");
  return text.replaceAll('from "./twisted/', `from "${twisted.startsWith(".") ? twisted : `./${twisted}`}/`);
}

/** Makes the student's copy from the lesson unless it exists; true if it was made now. */
export function makeCopy(exercise: Exercise): boolean {
  const copy = copyPath(exercise);
  if (existsSync(copy)) return false;
  mkdirSync(WORKSPACE, { recursive: true });
  writeFileSync(copy, lessonCopyText(exercise, copy), { flag: "wx" });
  return true;
}

interface Progress {
  /** Exercise id → when it first passed. */
  passed: Record<string, string>;
  /** Exercise id → how many hints have been shown. */
  hints: Record<string, number>;
}

export function readProgress(): Progress {
  try {
    const saved = JSON.parse(readFileSync(PROGRESS, "utf8")) as Partial<Progress>;
    return { passed: saved.passed ?? {}, hints: saved.hints ?? {} };
  } catch {
    return { passed: {}, hints: {} };
  }
}

function saveProgress(progress: Progress): void {
  mkdirSync(WORKSPACE, { recursive: true });
  writeFileSync(PROGRESS, `${JSON.stringify(progress, null, 2)}\n`);
}

export function recordPass(exercise: Exercise): void {
  const progress = readProgress();
  progress.passed[exercise.id] ??= new Date().toISOString();
  saveProgress(progress);
}

/** Counts one more hint shown for `exercise`; returns how many have been shown now. */
export function nextHint(exercise: Exercise): number {
  const progress = readProgress();
  const shownSoFar = (progress.hints[exercise.id] ?? 0) + 1;
  progress.hints[exercise.id] = shownSoFar;
  saveProgress(progress);
  return shownSoFar;
}
