/**
 * Every lesson as a student sees it: the real OpenSSH client (`/usr/bin/ssh`) in a real
 * pseudo-terminal, or with `-T` and a file on stdin, against the lesson's server process.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { after, before, describe, test } from "node:test";
import { type LessonProcess, startLesson, startLessonFile } from "./helpers/lesson-process.ts";
import { NO_OPENSSH, OpenSsh } from "./helpers/openssh.ts";

const XTERM_80x24 = { cols: 80, rows: 24, term: "xterm" };

/** Starts a lesson's server and an OpenSSH setup for it, for one describe block. */
function lessonServer(name: string, start: (name: string) => Promise<LessonProcess> = startLesson) {
  const context = {} as { server: LessonProcess; ssh: OpenSsh };
  before(async () => {
    context.server = await start(name);
    context.ssh = OpenSsh.forServer(context.server.port);
  });
  after(async () => {
    context.ssh?.remove();
    await context.server?.stop();
  });
  return context;
}

/** The bytes that the `echo: <repr>` lines in `output` stand for, joined. */
function echoedBytes(output: string): Buffer {
  const literals = [...output.matchAll(/echo: ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\r\n/g)].map((m) => m[1]);
  const named: Record<string, number> = { t: 9, n: 10, r: 13 };
  const bytes: number[] = [];
  for (const literal of literals) {
    const body = literal.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
      if (body[i] !== "\\") {
        bytes.push(body.charCodeAt(i));
      } else if (body[++i] === "x") {
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(named[body[i]] ?? body.charCodeAt(i));
      }
    }
  }
  return Buffer.from(bytes);
}

describe("OpenSSH", { concurrency: true, skip: NO_OPENSSH }, () => {
  describe("lesson 1, introduction", { concurrency: false }, () => {
    const lesson = lessonServer("introduction");

    test("Permission denied (), exit 255; the key ssh accepted is the one the server printed", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      assert.equal(await run.exitCode(), 255);
      assert.match(run.text, /^alice@127\.0\.0\.1: Permission denied \(\)\.$/m);
      // (A fingerprint holds "+" and "/": compare it as text, not as a pattern.)
      assert.ok(lesson.server.stdout.lines.includes(
        `ED25519 key fingerprint is ${lesson.ssh.fingerprint}.  (keys/ssh_host_ed25519_key)`,
      ), lesson.server.stdout.text);
    });

    test("a modern key exchange, host key and cipher are agreed", async () => {
      const run = lesson.ssh.run({ args: ["-v", "-o", "BatchMode=yes"] });
      assert.equal(await run.exitCode(), 255);
      assert.match(run.output, /kex: algorithm: curve25519-sha256/);
      assert.match(run.output, /kex: host key algorithm: ssh-ed25519/);
      assert.match(run.output, /kex: server->client cipher: (chacha20-poly1305@openssh\.com|aes(128|256)-gcm@openssh\.com)/);
      assert.match(run.output, /kex: client->server cipher: (chacha20-poly1305@openssh\.com|aes(128|256)-gcm@openssh\.com)/);
    });

    test("a client that insists on a key exchange we leave out gets a clean refusal", async () => {
      // ecdh-sha2-nistp521 fails under Deno, so neither runtime offers it.
      const run = lesson.ssh.run({ args: ["-o", "KexAlgorithms=ecdh-sha2-nistp521", "-o", "BatchMode=yes"] });
      assert.equal(await run.exitCode(), 255);
      assert.match(run.text, /Unable to negotiate with 127\.0\.0\.1 port \d+: no matching key exchange method found/);
    });
  });

  describe("lesson 2, password", { concurrency: false }, () => {
    const lesson = lessonServer("password");

    test("a wrong password is refused", async () => {
      const run = lesson.ssh.run({ password: "not-it", terminal: XTERM_80x24 });
      assert.equal(await run.exitCode(), 255);
      assert.match(run.text, /^Permission denied, please try again\.$/m);
      assert.match(run.text, /^alice@127\.0\.0\.1: Permission denied \(password\)\.$/m);
    });

    test("the right password logs in, and the channel open fails", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      assert.equal(await run.exitCode(), 255);
      assert.match(run.output, /channel 0: open failed: administratively prohibited/);
      assert.doesNotMatch(run.output, /Permission denied/);
    });
  });

  describe("lesson 3, channel", { concurrency: false }, () => {
    const lesson = lessonServer("channel");

    test("plain ssh in a terminal: the pty is refused, the goodbye line, exit 0", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      assert.equal(await run.exitCode(), 0);
      assert.match(run.text, /^PTY allocation request failed on channel 0\nThis session is very simple\. {2}Goodbye!\n/m);
    });
  });

  describe("lesson 3, run as its own file (lessons/03-channel.ts)", { concurrency: false }, () => {
    const lesson = lessonServer("lessons/03-channel.ts", startLessonFile);

    test("the same: the pty is refused, the goodbye line, exit 0", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      assert.equal(await run.exitCode(), 0);
      assert.match(run.text, /^PTY allocation request failed on channel 0\nThis session is very simple\. {2}Goodbye!\n/m);
    });
  });

  describe("lesson 4, pty", { concurrency: false }, () => {
    const lesson = lessonServer("pty");

    for (const terminal of [XTERM_80x24, { cols: 132, rows: 40, term: "xterm" }, { cols: 80, rows: 24, term: "vt100" }]) {
      test(`a ${terminal.cols}x${terminal.rows} ${terminal.term}`, async () => {
        const run = lesson.ssh.run({ terminal });
        assert.equal(await run.exitCode(), 0);
        const expected = `Your terminal name is '${terminal.term}'.  ` +
          `Your terminal is ${terminal.cols} columns wide and ${terminal.rows} rows tall.`;
        // The pane wraps at its width, so compare with the line breaks taken out.
        assert.ok(run.text.replaceAll("\n", "").includes(expected), run.output);
      });
    }
  });

  describe("lesson 5, input", { concurrency: false }, () => {
    const lesson = lessonServer("input");

    test("typed keys come back as echo lines; ~. ends the client", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      // No banner here: the first echo shows the session is up and the terminal raw.
      run.type("h");
      await run.waitFor("echo: 'h'\r\n");
      const from = run.output.length;
      run.type("ello");
      run.type("\r");
      run.type("\x03");
      await run.waitFor("\\x03'\r\n", from);
      assert.equal(echoedBytes(run.output.slice(from)).toString("latin1"), "ello\r\x03");
      run.type("\r~.");
      assert.equal(await run.exitCode(), 255);
    });
  });

  describe("lesson 6, eof", { concurrency: false }, () => {
    const lesson = lessonServer("eof");

    test("ssh -T < file: the echo, eof received, exit 0; the server printed Channel closed", async () => {
      const run = lesson.ssh.run({ stdin: "line one\nline two\n" });
      assert.equal(await run.exitCode(), 0);
      assert.equal(echoedBytes(run.output).toString("latin1"), "line one\nline two\n");
      assert.match(run.output, /\r\neof received\r\n$/);
      await lesson.server.waitForLine(/^Channel closed$/);
    });
  });

  describe("lesson 7, protocols", { concurrency: false }, () => {
    const lesson = lessonServer("protocols");
    let sessions = 0;
    const LOST = /^Connection lost /;

    test("in a terminal: the banner, then echoes; ~. leaves", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      await run.waitFor("Echo protocol connected\r\n");
      const from = run.output.length;
      run.type("hi\x04");
      await run.waitFor("\\x04'\r\n", from);
      assert.equal(echoedBytes(run.output.slice(from)).toString("latin1"), "hi\x04");
      run.type("\r~.");
      assert.equal(await run.exitCode(), 255);
      await lesson.server.waitForLine(LOST, ++sessions);
    });

    test("ssh -T < file exits 0 by itself", async () => {
      const run = lesson.ssh.run({ stdin: "hello\n" });
      assert.equal(await run.exitCode(), 0);
      assert.equal(run.output, "Echo protocol connected\r\necho: 'hello\\n'\r\n");
      await lesson.server.waitForLine(LOST, ++sessions);
    });

    test("a killed client", async () => {
      const run = lesson.ssh.run();
      await run.waitFor("Echo protocol connected\r\n");
      run.child.kill("SIGKILL");
      await run.exitCode().catch(() => null);
      await lesson.server.waitForLine(LOST, ++sessions);
    });

    test("Connection lost was printed once per session", async () => {
      const run = lesson.ssh.run({ stdin: "" }); // one more session, as a barrier
      assert.equal(await run.exitCode(), 0);
      await lesson.server.waitForLine(LOST, ++sessions);
      assert.equal(lesson.server.stdout.count(LOST), sessions);
    });
  });

  describe("lesson 7, run as its own file (lessons/07-protocols.ts)", { concurrency: false }, () => {
    const lesson = lessonServer("lessons/07-protocols.ts", startLessonFile);

    test("ssh -T < file: the banner, the echo, exit 0; the server prints Connection lost", async () => {
      const run = lesson.ssh.run({ stdin: "hello\n" });
      assert.equal(await run.exitCode(), 0);
      assert.equal(run.output, "Echo protocol connected\r\necho: 'hello\\n'\r\n");
      await lesson.server.waitForLine(/^Connection lost ConnectionDone: Connection was closed cleanly\.$/);
    });
  });
});
