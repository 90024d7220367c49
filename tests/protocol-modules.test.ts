/** `--protocol <module>`: a student's Protocol served through lesson 7, and the two examples. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ROOT, runProgram, runTutorial, startLesson, startLessonFile } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

const scratch = mkdtempSync(join(tmpdir(), "protocols-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const PROTOCOL = join(ROOT, "lessons", "twisted", "protocol.ts");
const XTERM = { term: "xterm", cols: 80, rows: 24 };

/** Writes a module into the scratch folder and returns its path. */
function module(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

test("the upper-case echo", async () => {
  const server = await startLesson("protocols", ["--protocol", "lessons/protocols/upper-echo.ts"]);
  try {
    assert.match(server.stdout.text, /serving lessons\/protocols\/upper-echo\.ts: its default export \(class UpperEchoProtocol\)/);
    const client = await logIn(server.port);
    const shell = await openShell(client, XTERM);
    shell.channel.write("hello, world. ü");
    await shell.waitFor("echo: 'HELLO, WORLD. \\xc3\\xbc'\r\n");
    assert.equal(shell.received().toString("latin1"), "Echo protocol connected\r\necho: 'HELLO, WORLD. \\xc3\\xbc'\r\n");
    client.end();
  } finally {
    await server.stop();
  }
});

test("a named Protocol subclass, from the student's own file", async () => {
  const file = module("hello.ts", `
import { Protocol } from ${JSON.stringify(PROTOCOL)};
export const GREETING = "hello";
export class Hello extends Protocol {
  override connectionMade() {
    this.transport.write(\`hello, \${this.transport.getUser()} from \${this.transport.getPeer().host}\\r\\n\`);
    this.transport.loseConnection();
  }
}
`);
  const server = await startLesson("protocols", ["--protocol", file]);
  try {
    const client = await logIn(server.port, "bob", "badpassword");
    const shell = await openShell(client);
    const { exitCode } = await shell.closed();
    assert.equal(shell.received().toString("latin1"), "hello, bob from 127.0.0.1\r\n");
    assert.equal(exitCode, 0);
    client.end();
  } finally {
    await server.stop();
  }
});

test("the chat room: members see each other's lines; one leaving abruptly breaks nobody", async () => {
  const server = await startLesson("protocols", ["--protocol", "lessons/protocols/chat-room.ts"]);
  try {
    const alice = await openShell(await logIn(server.port, "alice", "goodpassword"), XTERM);
    await alice.waitFor("Welcome to the chat room, alice. Nobody else is here yet.");
    const bobClient = await logIn(server.port, "bob", "badpassword");
    const bob = await openShell(bobClient, XTERM);
    await bob.waitFor("Welcome to the chat room, bob. Here: alice.");
    await alice.waitFor("* bob joined\r\n");

    alice.channel.write("hi bob");
    alice.channel.write("\r");
    await bob.waitFor("\r\x1b[Kalice: hi bob\r\n");
    bob.channel.write("helo\x7f\x7fllo alice\r"); // two backspaces
    await alice.waitFor("\r\x1b[Kbob: hello alice\r\n");

    bobClient.destroy(); // gone without a word
    await alice.waitFor("* bob left\r\n");
    const jp = await openShell(await logIn(server.port, "jpcalderone", "supersecretpassword"), XTERM);
    await jp.waitFor("Here: alice.");
    alice.channel.write("still here\r");
    await jp.waitFor("alice: still here\r\n");
    jp.channel.write("\x04"); // Ctrl-D on an empty line leaves
    assert.equal((await jp.closed()).exitCode, 0);
    await alice.waitFor("* jpcalderone left\r\n");
  } finally {
    await server.stop();
  }
});

test("lesson 7's own file takes --protocol too; another lesson's file refuses it", async () => {
  const server = await startLessonFile("lessons/07-protocols.ts", ["--protocol", "lessons/protocols/chat-room.ts"]);
  try {
    const alice = await openShell(await logIn(server.port, "alice", "goodpassword"), XTERM);
    await alice.waitFor("Welcome to the chat room, alice. Nobody else is here yet.");
  } finally {
    await server.stop();
  }
  const { code, stderr } = await runProgram("lessons/03-channel.ts", ["--protocol", "lessons/protocols/upper-echo.ts"]);
  assert.equal(code, 2);
  assert.match(stderr, /^lessons[\\/]03-channel\.ts: --protocol works with lesson 7 \(protocols\), not with channel$/m);
});

test("bad modules: one line that says what to export, a non-zero exit, no stack trace", async (t) => {
  const cases: [string, string[], RegExp][] = [
    ["no such file", ["--protocol", join(scratch, "missing.ts")], /--protocol .*missing\.ts: no such file/],
    ["does not compile", ["--protocol", module("broken.ts", "export default class {\n  oops(\n}\n")],
      /--protocol .*broken\.ts: cannot be loaded: /],
    ["exports no Protocol", ["--protocol", module("nothing.ts", "export const answer = 42;\n")],
      /--protocol .*nothing\.ts: exports no Protocol; export a class that extends Protocol/],
    ["two Protocols, no default", ["--protocol", module("two.ts", `import { Protocol } from ${JSON.stringify(PROTOCOL)};
export class A extends Protocol {}
export class B extends Protocol {}
`)], /exports several Protocols \(A \(class A\), B \(class B\)\); make one the default export/],
    ["with another lesson", ["--lesson", "3", "--protocol", "lessons/protocols/upper-echo.ts"],
      /--protocol works with lesson 7 \(protocols\), not with channel/],
  ];
  for (const [name, args, message] of cases) {
    await t.test(name, async () => {
      const { code, stderr } = await runTutorial(["--port", "0", ...args]);
      assert.notEqual(code, 0);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /^\s+at /m);
    });
  }
});
