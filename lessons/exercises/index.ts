/**
 * Every exercise, in order, and how to find one by its id ("3.1").
 *
 * @example
 * ```ts
 * import { findExercise } from "./index.ts";
 * findExercise("3.1")?.title; // "Say goodbye by name"
 * ```
 * @module
 */
import { exercises as introduction } from "./01-introduction.ts";
import { exercises as password } from "./02-password.ts";
import { exercises as channel } from "./03-channel.ts";
import { exercises as pty } from "./04-pty.ts";
import { exercises as input } from "./05-input.ts";
import { exercises as eof } from "./06-eof.ts";
import { exercises as protocols } from "./07-protocols.ts";
import type { Exercise } from "./exercise.ts";


export const exercises: readonly Exercise[] = [...introduction, ...password, ...channel, ...pty, ...input, ...eof, ...protocols];

/** The exercise with this id, if there is one. */
export function findExercise(id: string): Exercise | undefined {
  return exercises.find((exercise) => exercise.id === id.trim());
}

/** The ids, for a message: "1.1, 1.2, 2.1, ...". */
export function exerciseIds(): string {
  return exercises.map((exercise) => exercise.id).join(", ");
}
