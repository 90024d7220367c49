/**
 * The exercise commands of `tutorial.ts`, positional arguments only (the same in bash, zsh,
 * PowerShell and cmd):
 *
 *   npx tsx tutorial.ts exercises            every exercise, ✓ for those passed
 *   npx tsx tutorial.ts exercise 3.1         the task; makes your copy exercises/<file>.ts
 *   npx tsx tutorial.ts run 3.1 [flags]      serves your copy to the real ssh (--lesson's flags)
 *   npx tsx tutorial.ts verify 3.1 [--watch] type-checks and checks your copy
 *   npx tsx tutorial.ts hint 3.1             the next hint
 *
 * The exercises themselves (tasks, hints, checks) are in index.ts and the files it lists.
 * @module
 */
import { existsSync, watch } from "node:fs";
import { basename, dirname } from "node:path";
import process from "node:process";
import { loadLesson } from "../server/load-lesson.ts";
import { parseFlags, SERVER_FLAGS } from "../server/options.ts";
import { runLesson } from "../server/start.ts";
import { UserError } from "../server/user-error.ts";
import { exerciseIds, exercises, findExercise } from "./index.ts";
import type { Exercise } from "./exercise.ts";
import { verifyFile } from "./verify.ts";
import { copyPath, makeCopy, nextHint, readProgress, recordPass, shown, solutionPath } from "./workspace.ts";

export const EXERCISE_COMMANDS = ["exercises", "exercise", "run", "verify", "hint"];

export const EXERCISE_USAGE = `       npx tsx tutorial.ts exercises                 the exercises, ✓ for those you passed
       npx tsx tutorial.ts exercise <id>             an exercise's task; makes your copy
       npx tsx tutorial.ts verify <id> [--watch]     checks your copy (--watch: on every save)
       npx tsx tutorial.ts hint <id>                 the next hint
       npx tsx tutorial.ts run <id> [options]        serves your copy to ssh`;

const TUTORIAL = "npx tsx tutorial.ts";

/** Runs one of {@link EXERCISE_COMMANDS}; mistakes are one-line {@link UserError}s. */
export async function exerciseCommand([command, id, ...rest]: string[]): Promise<void> {
  if (command === "exercises") {
    if (id !== undefined) throw new UserError(`exercises takes nothing more (to see one: ${TUTORIAL} exercise ${id})`);
    return list();
  }
  const exercise = chosen(command, id);
  switch (command) {
    case "exercise":
      noMore(command, rest);
      return start(exercise);
    case "hint":
      noMore(command, rest);
      return hint(exercise);
    case "verify": {
      const watching = rest[0] === "--watch";
      noMore(command, watching ? rest.slice(1) : rest, "--watch");
      return watching ? verifyWatching(exercise) : void await verifyOnce(exercise);
    }
    case "run":
      return run(exercise, rest);
  }
}

function chosen(command: string, id: string | undefined): Exercise {
  const exercise = id === undefined ? undefined : findExercise(id);
  if (exercise) return exercise;
  const which = id === undefined ? "which exercise?" : `no exercise ${JSON.stringify(id)};`;
  throw new UserError(`${command}: ${which} the exercises are ${exerciseIds()} (e.g. ${TUTORIAL} ${command} 3.1)`);
}

function noMore(command: string, rest: string[], allowed = ""): void {
  if (rest.length > 0) {
    throw new UserError(`${command} takes an exercise id${allowed ? ` and ${allowed}` : ""}, not also ${rest.join(" ")}`);
  }
}

function list(): void {
  const { passed } = readProgress();
  let lesson = "";
  const rows: string[] = [];
  for (const exercise of exercises) {
    if (exercise.lesson !== lesson) {
      lesson = exercise.lesson;
      rows.push(`lessons/${lesson}`);
    }
    rows.push(`  ${passed[exercise.id] ? "✓" : " "} ${exercise.id}  ${exercise.title}`);
  }
  const done = exercises.filter((exercise) => passed[exercise.id]).length;
  const next = exercises.find((exercise) => !passed[exercise.id]);
  console.log(`Exercises (${done} of ${exercises.length} passed):\n${rows.join("\n")}\n\n` +
    (next ? `Next: ${TUTORIAL} exercise ${next.id}` : "All passed. Well done!"));
}

function start(exercise: Exercise): void {
  const copy = shown(copyPath(exercise));
  const made = makeCopy(exercise);
  console.log([
    `Exercise ${exercise.id}: ${exercise.title} (lessons/${exercise.lesson})`,
    "",
    exercise.task,
    "",
    made ? `Your copy of the lesson is ${copy}: change it there.` : `Your copy ${copy} is there already (kept as it is): change it there.`,
    "Then:",
    `  ${TUTORIAL} verify ${exercise.id}           check it (add --watch to check on every save)`,
    `  ${TUTORIAL} run ${exercise.id}              serve it, then connect: ssh -p 2022 alice@localhost`,
    `  ${TUTORIAL} hint ${exercise.id}             a hint, if you are stuck`,
  ].join("\n"));
}

function hint(exercise: Exercise): void {
  const count = nextHint(exercise);
  const { hints } = exercise;
  if (count <= hints.length) {
    console.log(`Hint ${count} of ${hints.length} for ${exercise.id} (${exercise.title}):\n  ${hints[count - 1]}`);
    if (count < hints.length) console.log(`(Still stuck? ${TUTORIAL} hint ${exercise.id} again.)`);
    else console.log(`(One more \`hint ${exercise.id}\` says where the solution is.)`);
    return;
  }
  console.log(`All ${hints.length} hints for ${exercise.id}:\n${hints.map((text, i) => `  ${i + 1}. ${text}`).join("\n")}\n` +
    `A solution: ${shown(solutionPath(exercise))} (compare it with your ${shown(copyPath(exercise))}).`);
}

function needCopy(exercise: Exercise): string {
  const copy = copyPath(exercise);
  if (!existsSync(copy)) {
    throw new UserError(`${shown(copy)}: no such file; start the exercise first: ${TUTORIAL} exercise ${exercise.id}`);
  }
  return copy;
}

async function run(exercise: Exercise, flags: string[]): Promise<void> {
  const copy = needCopy(exercise);
  const { serve, help } = parseFlags(flags, { lessonFlags: false });
  if (help) return console.log(`Usage: ${TUTORIAL} run ${exercise.id} [options]\n\nServes ${shown(copy)}.\n\nOptions:\n${SERVER_FLAGS}`);
  await runLesson(await loadLesson(shown(copy), { flag: `run ${exercise.id}` }), serve);
}

/** One verification, printed; true if it passed. */
async function verifyOnce(exercise: Exercise, version = 0): Promise<boolean> {
  const copy = needCopy(exercise);
  console.log(`Checking ${shown(copy)} (exercise ${exercise.id}: ${exercise.title})...`);
  const result = await verifyFile(exercise, copy, { version });
  if (result.passed) {
    recordPass(exercise);
    const { passed } = readProgress();
    const after = exercises.slice(exercises.indexOf(exercise) + 1);
    const next = [...after, ...exercises].find((other) => !passed[other.id]);
    console.log(`✓ ${exercise.id} passed (${Object.keys(passed).length} of ${exercises.length} done).` +
      (next ? ` Next: ${TUTORIAL} exercise ${next.id}` : " That was the last one!"));
    return true;
  }
  process.exitCode = 1;
  if (result.stage === "types") console.log(`✗ it does not compile:\n${indent(result.message ?? "")}`);
  else if (result.stage === "load") console.log(`✗ it cannot be served: ${result.message}`);
  else console.log(`✗ ${result.message}`);
  if (result.log.length > 0) console.log(`The server's log during the check:\n${indent(result.log.join("\n"))}`);
  else if (result.stage === "check") console.log("(The server logged nothing during the check.)");
  console.log(`Stuck? ${TUTORIAL} hint ${exercise.id}`);
  return false;
}

function indent(text: string): string {
  return text.split("\n").map((line) => `  ${line}`).join("\n");
}

/** Verifies now and again after each save, one run at a time, until Ctrl-C. */
async function verifyWatching(exercise: Exercise): Promise<void> {
  const copy = needCopy(exercise);
  let version = 0;
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const runNow = async () => {
    if (running) return void (again = true);
    running = true;
    do {
      again = false;
      await verifyOnce(exercise, ++version).catch((error) => console.log(`✗ ${(error as Error).message}`));
      console.log(`\nWatching ${shown(copy)}: saving it checks again (Ctrl-C to stop).`);
    } while (again);
    running = false;
  };
  // The folder, not the file: many editors save by writing a new file and renaming it.
  const watcher = watch(dirname(copy), (_event, name) => {
    if (name !== null && String(name) !== basename(copy)) return;
    clearTimeout(timer);
    timer = setTimeout(runNow, 200); // one run for the several events of one save
  });
  process.once("SIGINT", () => {
    watcher.close();
    clearTimeout(timer);
    process.exit(0);
  });
  await runNow();
}
