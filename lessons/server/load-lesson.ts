/**
 * Loads a lesson-shaped file for `tutorial.ts --lesson <path>`: a student's changed copy of a
 * lesson is served with the same machinery as the original. Lesson-shaped means it exports
 * `article` and `makeServer`, as every `lessons/0N-*.ts` does.
 *
 * @example
 * ```ts
 * import { loadLesson } from "./load-lesson.ts";
 * const lesson = await loadLesson("lessons/my-channel.ts");
 * ```
 * @module
 */
import type { LessonModule } from "./lesson.ts";
import { importModule } from "./import-module.ts";
import { UserError } from "./user-error.ts";

/** What a lesson file must export, in one line. */
export const LESSON_SHAPE = "a lesson file must export `article` (its number, slug, title, date, url, login, tryThis) " +
  "and `makeServer(setup)` returning an ssh2 Server, as lessons/0N-*.ts do: copy one of them and change it";

/** Whether `name` names a file rather than a lesson (a path, or a `.ts` file). */
export function isPath(name: string): boolean {
  return /[\\/]/.test(name) || /\.[cm]?[jt]s$/.test(name);
}

/**
 * Imports `path` and checks its shape; every problem is a one-line {@link UserError} naming
 * `flag`, the command that was typed (`--lesson`, `run 3.1`, `verify 3.1`).
 */
export async function loadLesson(path: string, { flag = "--lesson", version }: { flag?: string; version?: number } = {}): Promise<LessonModule> {
  const module = await importModule(flag, path, version);
  const article = module.article as Partial<LessonModule["article"]> | undefined;
  const shaped = typeof module.makeServer === "function" && typeof article === "object" && article !== null &&
    typeof article.number === "number" && typeof article.slug === "string" && typeof article.title === "string";
  if (!shaped) throw new UserError(`${flag} ${path}: not lesson-shaped; ${LESSON_SHAPE}`);
  return module as unknown as LessonModule;
}
