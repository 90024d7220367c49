/**
 * `--diagram <file.md>`: each connection as a Mermaid sequence diagram that parses (a
 * structural check of the syntax: participants, arrows, notes, balanced blocks), with no
 * password and nothing that changes from run to run; and the README's copy of lesson 7's
 * diagram is the one the project's own command makes today.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Diagram, mermaidText } from "../lessons/server/diagram.ts";
import { runTutorial, startLesson } from "./helpers/lesson-process.ts";
import { mermaidBlocks, sequenceProblems } from "./helpers/mermaid.ts";
import { NO_OPENSSH, OpenSsh } from "./helpers/openssh.ts";
import { eventually, logIn, openShell } from "./helpers/ssh-client.ts";
import { lesson7Diagram, readmeDiagram } from "./readme-diagram.ts";

test("the structural check finds what Mermaid would choke on", () => {
  const good = "sequenceDiagram\n    participant C as Client\n    participant S as Server\n    C->>S: hello\n    Note right of S: seen\n";
  assert.deepEqual(sequenceProblems(good), []);
  assert.notDeepEqual(sequenceProblems(good.replace("sequenceDiagram", "graph TD")), []);
  assert.notDeepEqual(sequenceProblems(good.replace("C->>S", "C->>X")), []);
  assert.notDeepEqual(sequenceProblems(good.replace("hello", "a; b")), []);
  assert.notDeepEqual(sequenceProblems(good.replace("hello", "#1")), []);
  assert.notDeepEqual(sequenceProblems(`${good}    loop twice\n    C->>S: again\n`), []);
  assert.deepEqual(sequenceProblems(`${good}    loop twice\n    C->>S: again\n    end\n`), []);
  assert.notDeepEqual(sequenceProblems(`${good}    end\n`), []);
  assert.notDeepEqual(sequenceProblems(`${good}    C->S hello\n`), []);
});

test("text that would end a message or start an entity is written as entities", () => {
  assert.equal(mermaidText("a; #1 <b>"), "a#59; #35;1 #lt;b#gt;");
  const diagram = new Diagram("Lesson 7 (protocols)");
  diagram.trace("#1", "connectionMade from 127.0.0.1:40312 (x)");
  diagram.wire.message({ tag: "#1.0", connection: 1, direction: "in", name: "SSH_MSG_CHANNEL_DATA", number: 94, summary: "3 bytes", rfc: "RFC 4254 §5.2" });
  diagram.trace("#1.0", "dataReceived 3 bytes 'a;#'");
  diagram.wire.closed(1);
  assert.deepEqual(sequenceProblems(diagram.sequence(1)), []);
  assert.doesNotMatch(diagram.sequence(1), /40312/, "no port: it changes from run to run");
});

test("the README shows lesson 7's diagram as the project's own command makes it today", async () => {
  const made = await lesson7Diagram();
  assert.deepEqual(sequenceProblems(made), []);
  assert.equal(readmeDiagram(), made, "README.md's diagram is out of date: npm run readme-diagram writes it again");
});

test("--diagram with a real ssh session against lesson 7: one diagram per connection, each parses", { skip: NO_OPENSSH }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "diagram-"));
  const file = join(dir, "session.md");
  const server = await startLesson("protocols", ["--diagram", file]);
  const ssh = OpenSsh.forServer(server.port); // connection 1: ssh-keyscan
  try {
    const run = ssh.run({ stdin: "hello\n" });
    assert.equal(await run.exitCode(), 0);
    await eventually(() => readFileSync(file, "utf8").includes("## Connection 2"), "the second connection's diagram");
    const markdown = readFileSync(file, "utf8");
    const blocks = mermaidBlocks(markdown);
    assert.equal(blocks.length, 2, markdown);
    for (const block of blocks) assert.deepEqual(sequenceProblems(block), [], block);
    const session = blocks[1];
    assert.match(session, /^ {4}participant C as Client SSH-2\.0-OpenSSH_\S+/m);
    assert.match(session, /^ {4}C->>S: SSH_MSG_CHANNEL_REQUEST \(98\) shell, want reply \(channel 0\) · RFC 4254 §6\.5$/m);
    assert.match(session, /^ {4}Note right of S: channel 0: dataReceived 6 bytes 'hello\\n'$/m);
    assert.match(session, /^ {4}S->>C: SSH_MSG_CHANNEL_REQUEST \(98\) exit-status: 0 \(channel 0\) · RFC 4254 §6\.10$/m);
    assert.doesNotMatch(markdown, /goodpassword/);
    assert.doesNotMatch(markdown, /127\.0\.0\.1:\d/, "no port");
    assert.ok(!server.stdout.text.includes("SSH_MSG_"), "--diagram alone prints no --wire lines");
  } finally {
    ssh.remove();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a client's control codes and newlines reach neither the terminal (--wire --trace) nor the diagram", async () => {
  const dir = mkdtempSync(join(tmpdir(), "diagram-"));
  const file = join(dir, "session.md");
  const server = await startLesson("protocols", ["--wire", "--trace", "--diagram", file]);
  try {
    const client = await logIn(server.port);
    const forged = "ls\x1b[2J\nNote over C,S: forged";
    await new Promise<void>((resolve) => client.exec(forged, () => resolve())); // refused: the lesson offers no exec
    const shell = await openShell(client, { term: "x\x1b]0;title\x07", cols: 80, rows: 24 });
    await shell.waitFor("Echo protocol connected\r\n");
    client.end();
    await eventually(() => readFileSync(file, "utf8").includes("## Connection 1"), "the connection's diagram");
    await server.waitForLine(/request_shell: accepted/);
    const printed = server.stdout.text;
    assert.ok(!printed.includes("\x1b"), "stdout is a pipe here: no colour, so no ESC at all");
    assert.match(printed, /x\\x1b\]0;title\\x07/, "the TERM, its control codes written out");
    const markdown = readFileSync(file, "utf8");
    // deno-lint-ignore no-control-regex -- looking for control characters is the point
    assert.ok(!/[\x00-\x08\x0b-\x1f]/.test(markdown), "no control code in the diagram");
    assert.doesNotMatch(markdown, /^\s*Note over C,S: forged/m, "no line the client wrote");
    for (const block of mermaidBlocks(markdown)) assert.deepEqual(sequenceProblems(block), [], block);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--diagram into a folder that does not exist: one line naming the flag, exit 1", async () => {
  const { code, stdout, stderr } = await runTutorial(["--lesson", "protocols", "--port", "0", "--diagram", join(tmpdir(), "no-such-folder-here", "x.md")]);
  assert.equal(code, 1, stdout + stderr);
  assert.match(stderr, /^tutorial\.ts: --diagram \S+x\.md: cannot write it \(ENOENT\)\n$/);
});
