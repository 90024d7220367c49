/**
 * The seven lessons, in the order the articles appeared, and how to find one by name. This
 * list is for `tutorial.ts`; nothing in `lessons/server/` imports a lesson.
 *
 * @example
 * ```ts
 * import { findLesson } from "./index.ts";
 * findLesson("07")?.article.slug; // "protocols"
 * ```
 * @module
 */
import * as introduction from "./01-introduction.ts";
import * as password from "./02-password.ts";
import * as channel from "./03-channel.ts";
import * as pty from "./04-pty.ts";
import * as input from "./05-input.ts";
import * as eof from "./06-eof.ts";
import * as protocols from "./07-protocols.ts";
import type { LessonModule } from "./server/lesson.ts";

export const lessons: readonly LessonModule[] = [introduction, password, channel, pty, input, eof, protocols];

/** The lesson's file name in `lessons/`, e.g. `07-protocols.ts`. */
export function fileOf({ article }: LessonModule): string {
  return `${String(article.number).padStart(2, "0")}-${article.slug}.ts`;
}

/** The lesson named by slug (`protocols`) or number (`7`, `07`), if there is one. */
export function findLesson(name: string): LessonModule | undefined {
  const wanted = name.trim().toLowerCase();
  if (/^\d+$/.test(wanted)) return lessons.find((lesson) => lesson.article.number === Number(wanted));
  return lessons.find((lesson) => lesson.article.slug === wanted);
}
