/**
 * The seven lessons, in the order the articles appeared, and how to find one by name.
 *
 * @example
 * ```ts
 * import { findLesson } from "./index.ts";
 * findLesson("07")?.slug; // "protocols"
 * ```
 * @module
 */
import { introduction } from "./01-introduction.ts";
import { password } from "./02-password.ts";
import { channel } from "./03-channel.ts";
import { pty } from "./04-pty.ts";
import { input } from "./05-input.ts";
import { eof } from "./06-eof.ts";
import { protocols } from "./07-protocols.ts";
import type { Lesson } from "./shared/lesson.ts";

export const lessons: readonly Lesson[] = [introduction, password, channel, pty, input, eof, protocols];

/** The lesson named by slug (`protocols`) or number (`7`, `07`), if there is one. */
export function findLesson(name: string): Lesson | undefined {
  const wanted = name.trim().toLowerCase();
  if (/^\d+$/.test(wanted)) return lessons.find((lesson) => lesson.number === Number(wanted));
  return lessons.find((lesson) => lesson.slug === wanted);
}
