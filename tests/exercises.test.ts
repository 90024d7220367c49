/**
 * Every exercise's check, proved both ways: it passes on the reference solution in
 * lessons/solutions/, and fails, with the message meant for it, on the untouched lesson.
 * Then the type-check step, and the commands' one-line mistakes.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import process from "node:process";
import { after, test } from "node:test";
import { exercises, findExercise } from "../lessons/exercises/index.ts";
import { typeCheck } from "../lessons/exercises/typecheck.ts";
import { verifyFile } from "../lessons/exercises/verify.ts";
import { lessonCopyText } from "../lessons/exercises/workspace.ts";
import { ROOT, runProgram, runTutorial, startProgram, TIMEOUT_MS, UNDER_DENO } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

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

test("each solution is named as the student's copy, and its header says how to check yours", () => {
  for (const exercise of exercises) {
    assert.match(exercise.file, new RegExp(`^${exercise.id.replace(".", "\\.")}-[a-z-]+\\.ts$`));
    const header = readFileSync(join(ROOT, "lessons", "solutions", exercise.file), "utf8").split("*/")[0];
    assert.ok(header.includes(`Exercise ${exercise.id}, solved: `), exercise.file);
    assert.ok(header.includes(`npx tsx tutorial.ts verify ${exercise.id}    (your copy: exercises/${exercise.file})`), exercise.file);
  }
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

/** Runs tutorial.ts with its exercises/ folder in `workspace`. */
function student(workspace: string, args: string[]) {
  return runProgram("tutorial.ts", args, { env: { SSH60_EXERCISES: workspace, NO_COLOR: "1" }, limitMs: 3 * TIMEOUT_MS });
}

test("a student's round: exercise, a typical mistake, verify, hint, the fix, ✓ in the list", {
  skip: UNDER_DENO && "runs tutorial.ts under Node, as a student does",
}, async () => {
  const workspace = join(scratch, "student");
  const copy = join(workspace, "3.3-exit-status.ts");
  const started = await student(workspace, ["exercise", "3.3"]);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /^Exercise 3\.3: An exit-status that says something \(lessons\/03-channel\.ts\)$/m);
  assert.match(started.stdout, /Your copy of the lesson is .*3\.3-exit-status\.ts: change it there\./);
  assert.match(started.stdout, /npx tsx tutorial\.ts verify 3\.3 /);
  const untouched = readFileSync(copy, "utf8");
  assert.equal(untouched, lessonCopyText(findExercise("3.3")!, copy));

  writeFileSync(copy, `${untouched}// mine\n`);
  const again = await student(workspace, ["exercise", "3.3"]);
  assert.match(again.stdout, /is there already \(kept as it is\)/);
  assert.equal(readFileSync(copy, "utf8"), `${untouched}// mine\n`);

  // The typical mistake: the exit-status after the end.
  writeFileSync(copy, untouched.replace("channel.exit(0);\n  channel.end();", "channel.end();\n  channel.exit(5);"));
  const wrong = await student(workspace, ["verify", "3.3"]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /^✗ the session ended without an exit-status \(\w+ has \d+ letters\): call `channel\.exit\(\d+\)` before `channel\.end\(\)`/m);
  assert.match(wrong.stdout, /^The server's log during the check:\n {2}\[1 127\.0\.0\.1:\d+\] \w+ logged in with password/m);
  assert.match(wrong.stdout, /^Stuck\? npx tsx tutorial\.ts hint 3\.3$/m);

  const hints = [];
  for (let i = 0; i < 4; i++) hints.push((await student(workspace, ["hint", "3.3"])).stdout);
  assert.match(hints[0], /^Hint 1 of 3 for 3\.3/);
  assert.match(hints[2], /^Hint 3 of 3 for 3\.3/);
  assert.match(hints[3], /A solution: lessons[\\/]solutions[\\/]3\.3-exit-status\.ts/);

  const solution = readFileSync(join(ROOT, "lessons", "solutions", "3.3-exit-status.ts"), "utf8");
  const twisted = relative(dirname(copy), join(ROOT, "lessons", "twisted")).split("\\").join("/");
  writeFileSync(copy, solution.replaceAll('from "../twisted/', `from "${twisted}/`));
  const right = await student(workspace, ["verify", "3.3"]);
  assert.equal(right.code, 0, right.stdout + right.stderr);
  assert.match(right.stdout, /^✓ 3\.3 passed \(1 of \d+ done\)\. Next: npx tsx tutorial\.ts exercise 4\.1$/m);
  const listed = await student(workspace, ["exercises"]);
  assert.ok(listed.stdout.includes("\n  ✓ 3.3  An exit-status that says something\n"), listed.stdout);
  assert.ok(listed.stdout.includes("\n    3.1  Say goodbye by name\n"), listed.stdout);

  // run: the copy served as --lesson serves a file, for the real client.
  const server = await startProgram("tutorial.ts", ["run", "3.3"], { SSH60_EXERCISES: workspace });
  try {
    assert.match(server.stdout.text, /^Lesson 3: channel$/m);
    const client = await logIn(server.port);
    const shell = await openShell(client);
    assert.deepEqual(await shell.closed(), { exitCode: 5 }); // "alice" has five letters
    assert.equal(shell.received().toString(), "This session is very simple.  Goodbye!\r\n");
    client.end();
  } finally {
    await server.stop();
  }

  const missing = await student(workspace, ["run", "5.1"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^tutorial\.ts: .*5\.1-ctrl-d\.ts: no such file; start the exercise first: npx tsx tutorial\.ts exercise 5\.1\n$/);
});
