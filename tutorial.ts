/**
 * ssh-in-60-seconds: Jean-Paul Calderone's "Twisted Conch in 60 Seconds" (2011), re-told
 * as seven runnable SSH servers. Pick a lesson, start it, and connect with the real `ssh`:
 *
 *   npx tsx tutorial.ts --lesson protocols
 *   ssh -p 2022 alice@localhost          (password: goodpassword)
 *
 * Each lesson is a whole program in `lessons/`, one file per article, and runs on its own
 * too (`npx tsx lessons/07-protocols.ts`); this file finds the one you name (or your copy of
 * one), serves it, lists the lessons, and shows what each adds to the one before:
 *
 *   npx tsx tutorial.ts diff 4 5
 *
 * It also runs the exercises (lessons/exercises/): `npx tsx tutorial.ts exercises` lists them.
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { fileOf, findLesson, lessons } from "./lessons/index.ts";
import { EXERCISE_COMMANDS, EXERCISE_USAGE, exerciseCommand } from "./lessons/exercises/commands.ts";
import { codeChanges, unifiedDiff } from "./lessons/server/diff.ts";
import type { LessonModule } from "./lessons/server/lesson.ts";
import { isPath, loadLesson } from "./lessons/server/load-lesson.ts";
import { parseFlags, SERVER_FLAGS, UsageError } from "./lessons/server/options.ts";
import { asProgram, runLesson } from "./lessons/server/start.ts";
import { colourStdout } from "./lessons/server/terminal-text.ts";

const USAGE = `Usage: npx tsx tutorial.ts --lesson <name|number|file> [options]
       npx tsx tutorial.ts diff <lesson> <lesson>
${EXERCISE_USAGE}

Serves one lesson of "Twisted Conch in 60 Seconds" as an SSH server.

Options:
  -l, --lesson <name>  the lesson to serve: its name (protocols), its number (7, 07), or a
                       file: your changed copy of a lesson (lessons/my-channel.ts)
      --list           list the lessons
${SERVER_FLAGS}

diff 4 5: what lesson 5 adds to lesson 4 (coloured on a terminal; plain when piped or with NO_COLOR).`;

function lessonList(): string {
  const rows = lessons.map(({ article }) =>
    `  ${String(article.number).padStart(2)}  ${article.slug.padEnd(13)} ${article.title.replace(/^Twisted Conch in 60 Seconds: /, "")} (${article.date})`
  );
  return `Lessons:\n${rows.join("\n")}\n\nStart one with:  npx tsx tutorial.ts --lesson protocols` +
    `\nor run its file:  npx tsx lessons/07-protocols.ts`;
}

function lessonNamed(name: string): LessonModule {
  const lesson = findLesson(name);
  if (lesson) return lesson;
  const names = lessons.map(({ article }) => `${article.number} ${article.slug}`).join(", ");
  throw new UsageError(`no lesson ${JSON.stringify(name)}; choose one of: ${names} (or give a lesson file's path)`);
}

/** `diff 4 5`: the unified diff of two lessons' files, and how many lines of code differ. */
function diff(args: string[]): void {
  if (args.length !== 2) throw new UsageError("diff takes two lessons, e.g. diff 4 5");
  const [before, after] = args.map((name) => {
    const file = fileOf(lessonNamed(name));
    return { name: `lessons/${file}`, text: readFileSync(fileURLToPath(new URL(`./lessons/${file}`, import.meta.url)), "utf8") };
  });
  console.log(unifiedDiff(before.name, before.text, after.name, after.text, colourStdout()));
  console.log(`\n${codeChanges(before.text, after.text)} lines of code differ (comments and blank lines aside).`);
}

async function main(args: string[]): Promise<void> {
  if (args[0] === "diff") return diff(args.slice(1));
  if (EXERCISE_COMMANDS.includes(args[0] ?? "")) return exerciseCommand(args); // the exercises: lessons/exercises/
  const { serve, help, lesson, list } = parseFlags(args, { lessonFlags: true });
  if (help) return console.log(`${USAGE}\n\n${lessonList()}`);
  const name = lesson ?? (serve.protocol !== undefined ? "protocols" : undefined);
  if (list || name === undefined) return console.log(lessonList());
  await runLesson(isPath(name) ? await loadLesson(name) : lessonNamed(name), serve);
}

asProgram("tutorial.ts", () => main(process.argv.slice(2)));
