/**
 * Every exercise's check, proved both ways: it passes on the reference solution in
 * lessons/solutions/, and fails, with the message meant for it, on the untouched lesson.
 * Then the type-check step, and the commands' one-line mistakes.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { after, test } from "node:test";
import { exercises, findExercise } from "../lessons/exercises/index.ts";
import { typeCheck } from "../lessons/exercises/typecheck.ts";
import { verifyFile } from "../lessons/exercises/verify.ts";
import { lessonCopyText } from "../lessons/exercises/workspace.ts";
import { ROOT, runTutorial } from "./helpers/lesson-process.ts";

/** Generous: a pass never waits this long, and a check that fails on silence says so after it. */
const QUIET_MS = 5000;

for (const exercise of exercises) {
  test(`exercise ${exercise.id} (${exercise.title}) passes on lessons/solutions/${exercise.file}`, async () => {
    const result = await verifyFile(exercise, join(ROOT, "lessons", "solutions", exercise.file), { typeCheck: false, quietMs: QUIET_MS });
    assert.ok(result.passed, `${result.message}\nthe server's log:\n${result.log.join("\n")}`);
  });
  test(`exercise ${exercise.id} fails on the untouched lessons/${exercise.lesson}: "${exercise.untouched}"`, async () => {
    const result = await verifyFile(exercise, join(ROOT, "lessons", exercise.lesson), { typeCheck: false, quietMs: QUIET_MS });
    assert.equal(result.passed, false);
    assert.equal(result.stage, "check");
    assert.ok(result.message?.includes(exercise.untouched), `${JSON.stringify(result.message)} should say ${JSON.stringify(exercise.untouched)}`);
  });
}

test("there are at least 15 exercises, two or three per lesson, each with two or three hints and its own file", () => {
  assert.ok(exercises.length >= 15);
  for (let lesson = 1; lesson <= 7; lesson++) {
    const count = exercises.filter((exercise) => exercise.id.startsWith(`${lesson}.`)).length;
    assert.ok(count >= 2 && count <= 3, `lesson ${lesson} has ${count} exercises`);
  }
  for (const exercise of exercises) assert.ok(exercise.hints.length >= 2 && exercise.hints.length <= 3, exercise.id);
  assert.equal(new Set(exercises.map((exercise) => exercise.file)).size, exercises.length);
});

const scratch = join(ROOT, "node_modules", ".cache", "ssh-in-60-seconds", `test-${process.pid}`);
after(() => rmSync(scratch, { recursive: true, force: true }));

test("verify type-checks first: the untouched copy is clean, and context.username is the compiler's message", async () => {
  mkdirSync(scratch, { recursive: true });
  const exercise = findExercise("3.1")!;
  const copy = join(scratch, exercise.file);
  const text = lessonCopyText(exercise, copy);
  writeFileSync(copy, text);
  assert.equal(await typeCheck(copy), undefined);
  writeFileSync(copy, text.replace('channel.write("This session is very simple.  Goodbye!\\r\\n");',
    "channel.write(`Goodbye, ${context.username}!\\r\\n`);"));
  const result = await verifyFile(exercise, copy, { version: 1 });
  assert.equal(result.stage, "types");
  assert.match(result.message ?? "", /3\.1-goodbye-by-name\.ts\(\d+,\d+\): error TS\d+: .*context/);
});

test("a wrong exercise id is one line naming the valid ids, and exit status 1", async () => {
  for (const args of [["verify", "three"], ["exercise", "9.9"], ["hint"]]) {
    const { code, stdout, stderr } = await runTutorial(args);
    assert.equal(code, 1, args.join(" "));
    assert.equal(stdout, "");
    assert.match(stderr, /^tutorial\.ts: \w+: .*the exercises are 1\.1, 1\.2, 2\.1, .*7\.2 \(e\.g\. npx tsx tutorial\.ts \w+ 3\.1\)\n$/);
  }
});

test("exercises lists every exercise by id and title", async () => {
  const { code, stdout } = await runTutorial(["exercises"]);
  assert.equal(code, 0);
  for (const exercise of exercises) assert.match(stdout, new RegExp(`^  [ ✓] ${exercise.id.replace(".", "\\.")}  ${exercise.title}$`, "m"));
});

test("each lesson's footer names its exercises and the command", () => {
  for (const exercise of exercises) {
    const text = readFileSync(join(ROOT, "lessons", exercise.lesson), "utf8");
    const footer = text.slice(text.lastIndexOf("/*"));
    assert.ok(footer.includes(` *   ${exercise.id}  ${exercise.title}\n`), `${exercise.lesson} names ${exercise.id}`);
    assert.match(footer, /npx tsx tutorial\.ts exercise \d\.1/);
  }
});
