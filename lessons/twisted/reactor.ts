/**
 * The server starter: the counterpart of the articles' last two lines,
 * `reactor.listenTCP(2022, factory)` and `reactor.run()`. A lesson file ends with
 *
 *   if (isMain(import.meta)) listenTCP(2022, { article, makeServer });
 *
 * so that `npx tsx lessons/05-input.ts` serves it on port 2022 (or `--port`, and every other
 * flag of `tutorial.ts`), exactly as `npx tsx tutorial.ts --lesson 5` does; imported by
 * `tutorial.ts` or a test, the file serves nothing by itself. The types a lesson needs from
 * the tutorial are here too.
 *
 * @example
 * ```ts
 * import { isMain, listenTCP } from "./twisted/reactor.ts";
 * if (isMain(import.meta)) listenTCP(2022, { article, makeServer });
 * ```
 * @module
 */
import { realpathSync } from "node:fs";
import { relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { LessonModule } from "../server/lesson.ts";
import { parseFlags, SERVER_FLAGS } from "../server/options.ts";
import { asProgram, runLesson } from "../server/start.ts";

export type { Article, Context, LessonModule, Setup } from "../server/lesson.ts";

/** Whether the module with this `import.meta` is the program being run (Python's `__main__`). */
export function isMain(meta: ImportMeta): boolean {
  const main = (meta as ImportMeta & { main?: boolean }).main; // Deno (and Node 24) know
  if (typeof main === "boolean") return main;
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(meta.url));
  } catch {
    return false;
  }
}

/** Serves `lesson` on `port` (unless `--port` says otherwise), with the flags on the command line. */
export function listenTCP(port: number, lesson: LessonModule): void {
  const program = relative(process.cwd(), process.argv[1] ?? "lesson") || "lesson";
  asProgram(program, async () => {
    const args = process.argv.slice(2);
    const { serve, help } = parseFlags(["--port", String(port), ...args], { lessonFlags: false });
    if (help) {
      console.log(`Usage: npx tsx ${program} [options]\n\nServes lesson ${lesson.article.number}, "${lesson.article.title}".\n\nOptions:\n${SERVER_FLAGS}`);
      return;
    }
    await runLesson(lesson, serve);
  });
}
