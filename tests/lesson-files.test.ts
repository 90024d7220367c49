/**
 * The lesson files themselves: each is a whole program that imports no other lesson, reads
 * beside the one before it (a small diff), and serves the same as `tutorial.ts --lesson N`;
 * `tutorial.ts diff` shows those diffs, and `--lesson <file>` serves a student's copy.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { codeChanges, codeLines, diffLines } from "../lessons/server/diff.ts";
import { ROOT, runProgram, runTutorial, startLesson, startLessonFile } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

const LESSONS = join(ROOT, "lessons");
const lessonFiles = readdirSync(LESSONS).filter((name) => /^\d\d-[a-z]+\.ts$/.test(name)).sort();
const read = (file: string) => readFileSync(join(LESSONS, file), "utf8");
/** Every module specifier a file imports. */
const importsOf = (text: string) => [...text.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gms)].map((match) => match[1]);
/** Every .ts file under a folder of lessons/. */
const filesUnder = (folder: string) =>
  readdirSync(join(LESSONS, folder)).filter((name) => name.endsWith(".ts")).map((name) => join(folder, name));

const copies: string[] = [];
after(() => {
  for (const file of copies) rmSync(file, { force: true });
});

test("there are seven lessons, 01 to 07", () => {
  assert.deepEqual(lessonFiles.map((name) => name.slice(0, 2)), ["01", "02", "03", "04", "05", "06", "07"]);
});

test("a lesson imports ssh2, Node's built-ins and lessons/twisted/, never another lesson or the machinery", () => {
  for (const file of lessonFiles) {
    for (const specifier of importsOf(read(file))) {
      assert.ok(specifier === "ssh2" || specifier.startsWith("node:") || specifier.startsWith("./twisted/"),
        `${file} imports ${specifier}`);
    }
  }
});

test("nothing in lessons/server/ or lessons/twisted/ imports a lesson", () => {
  for (const file of [...filesUnder("server"), ...filesUnder("twisted")]) {
    for (const specifier of importsOf(read(file))) {
      assert.doesNotMatch(specifier, /(^|\/)\d\d-[a-z]+\.ts$/, `${file} imports ${specifier}`);
      assert.doesNotMatch(specifier, /^\.\.\/(index|protocols|solutions)/, `${file} imports ${specifier}`);
    }
  }
});

test("every lesson creates its server and listens, in a few visible lines", () => {
  for (const file of lessonFiles) {
    const text = read(file);
    assert.match(text, /return new ssh2\.Server\(\{ hostKeys, algorithms: setup\.algorithms \}, setup\.wrap\(/, file);
    assert.match(text, /const hostKeys = loadHostKeys\(setup\.keys\);/, file);
    assert.match(text, /^if \(isMain\(import\.meta\)\) listenTCP\(2022, \{ article, makeServer \}\);$/m, file);
    assert.match(text, /^ \* Concept map: .+→.+→.+→/m, `${file}: a concept map line in its header`);
  }
});

test("consecutive lessons differ by at most 40 lines of code (80 from 6 to 7), comments and blank lines aside", () => {
  const sizes: string[] = [];
  for (let i = 1; i < lessonFiles.length; i++) {
    const changed = codeChanges(read(lessonFiles[i - 1]), read(lessonFiles[i]));
    sizes.push(`${i}→${i + 1}: ${changed}`);
    assert.ok(changed > 0 && changed <= (i === 6 ? 80 : 40), `${lessonFiles[i - 1]} → ${lessonFiles[i]}: ${changed} lines`);
  }
  console.log(`code lines changed: ${sizes.join(", ")}`);
});

test("the diff: comments, blank lines and strings are told apart", () => {
  const code = codeLines('/** doc */\nconst a = "http://x"; // note\n\n/* one\n two */ const b = `/*`;\n');
  assert.deepEqual(code, ['const a = "http://x";', " const b = `/*`;"]);
  const lines = diffLines(["a", "b", "c"], ["a", "c", "d"]);
  assert.deepEqual(lines.map((line) => line.kind + line.text), [" a", "-b", " c", "+d"]);
});

test("tutorial.ts diff 4 5: a plain unified diff when piped, and its size", async () => {
  const { code, stdout } = await runTutorial(["diff", "4", "input"]);
  assert.equal(code, 0);
  assert.match(stdout, /^--- lessons\/04-pty\.ts\n\+\+\+ lessons\/05-input\.ts\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
  assert.match(stdout, /^\+ {4}channel\.on\("data", \(bytes: Buffer\) => channel\.write\(`echo: \$\{repr\(bytes\)\}\\r\\n`\)\);$/m);
  assert.match(stdout, /^-interface Terminal \{$/m);
  assert.match(stdout, new RegExp(`^${codeChanges(read("04-pty.ts"), read("05-input.ts"))} lines of code differ`, "m"));
  assert.ok(!stdout.includes("\x1b["), "no colour when piped");
  const wrong = await runTutorial(["diff", "4"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /diff takes two lessons/);
});

test("a lesson file run on its own prints the same banner as tutorial.ts --lesson", async () => {
  const byName = await startLesson("channel");
  const byFile = await startLessonFile("lessons/03-channel.ts");
  try {
    const banner = (text: string, port: number) => text.replaceAll(String(port), "PORT");
    assert.equal(banner(byFile.stdout.text, byFile.port), banner(byName.stdout.text, byName.port));
  } finally {
    await byName.stop();
    await byFile.stop();
  }
});

test("a lesson file takes tutorial.ts's flags, and says so; a wrong one gets one line naming the file", async () => {
  const help = await runProgram("lessons/05-input.ts", ["--help"]);
  assert.equal(help.code, 0);
  for (const flag of ["--port", "--host", "--trace", "--keys", "--password-delay"]) assert.ok(help.stdout.includes(flag), flag);
  const wrong = await runProgram("lessons/05-input.ts", ["--lesson", "3"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^lessons[\\/]05-input\.ts: Unknown option '--lesson'/m);
});

test("--lesson <file> serves a student's changed copy of a lesson", async () => {
  const copy = join(LESSONS, `my-test-copy-${process.pid}.ts`);
  copies.push(copy);
  writeFileSync(copy, read("03-channel.ts").replace("Goodbye!\\r\\n", "See you!\\r\\n"));
  const server = await startLesson(copy);
  try {
    assert.match(server.stdout.text, /^Lesson 3: channel$/m);
    const client = await logIn(server.port);
    const shell = await openShell(client);
    const { exitCode } = await shell.closed();
    assert.equal(shell.received().toString("latin1"), "This session is very simple.  See you!\r\n");
    assert.equal(exitCode, 0);
    client.end();
  } finally {
    await server.stop();
  }
});

test("--lesson <file> that is not lesson-shaped: one line saying what it must export", async () => {
  const notALesson = join(LESSONS, `my-test-not-a-lesson-${process.pid}.ts`);
  copies.push(notALesson);
  writeFileSync(notALesson, "export const answer = 42;\n");
  const { code, stderr } = await runTutorial(["--lesson", notALesson, "--port", "0"]);
  assert.equal(code, 1);
  assert.match(stderr, /not lesson-shaped; a lesson file must export `article` .* and `makeServer\(setup\)` returning an ssh2 Server/);
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
  const missing = await runTutorial(["--lesson", "lessons/nowhere.ts"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--lesson lessons\/nowhere\.ts: no such file/);
});
