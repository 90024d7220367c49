/**
 * `--wire`: real sessions (ssh2's client and the OpenSSH client) against lessons 2, 3 and 7,
 * message by message: names, numbers and directions in order, the fields that matter, what
 * ssh2 answers by itself (a refused channel, keepalives, a rekey), the pty-req's bytes, and
 * never the password.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Connection } from "ssh2";
import ssh2 from "ssh2";
import { join } from "node:path";
import { serveLesson } from "../lessons/server/start.ts";
import type { WireLine } from "../lessons/server/wire.ts";
import * as protocols from "../lessons/07-protocols.ts";
import { type LessonProcess, ROOT, startLesson, startLessonFile } from "./helpers/lesson-process.ts";
import { NO_OPENSSH, OpenSsh } from "./helpers/openssh.ts";
import { eventually, logIn, openShell } from "./helpers/ssh-client.ts";

const XTERM_80x24 = { cols: 80, rows: 24, term: "xterm" };

/** `#1.0   ← SSH_MSG_CHANNEL_REQUEST (98) pty-req, want reply: ...` */
const WIRE_LINE = /^#(\d+)(?:\.\d+)? +([←→]) (version|SSH_MSG_[A-Z_]+ \(\d+\))(.*)$/;

/**
 * One connection's messages in order, as `← SSH_MSG_USERAUTH_REQUEST (50) password`: the
 * arrow, the name and number, and for requests and auth the first word that follows.
 */
function messages(lines: string[], connection = 1): string[] {
  return lines.flatMap((line) => {
    const match = line.match(WIRE_LINE);
    if (!match || Number(match[1]) !== connection) return [];
    const [, , arrow, head, rest] = match;
    const word = /\((50|80|90|98)\)$/.test(head) ? ` ${rest.trim().split(/[ ,:]/)[0]}` : "";
    return [`${arrow} ${head}${word}`];
  });
}

const KEX = [
  "→ version",
  "← version",
  "→ SSH_MSG_KEXINIT (20)",
  "← SSH_MSG_KEXINIT (20)",
  "← SSH_MSG_KEX_ECDH_INIT (30)",
  "→ SSH_MSG_KEX_ECDH_REPLY (31)",
  "→ SSH_MSG_NEWKEYS (21)",
  "← SSH_MSG_NEWKEYS (21)",
];
const LOGIN = [
  "→ SSH_MSG_EXT_INFO (7)",
  "← SSH_MSG_SERVICE_REQUEST (5)",
  "→ SSH_MSG_SERVICE_ACCEPT (6)",
  "← SSH_MSG_USERAUTH_REQUEST (50) none",
  "→ SSH_MSG_USERAUTH_FAILURE (51)",
  "← SSH_MSG_USERAUTH_REQUEST (50) password",
  "→ SSH_MSG_USERAUTH_SUCCESS (52)",
];
const OPEN = ["← SSH_MSG_CHANNEL_OPEN (90) session", "→ SSH_MSG_CHANNEL_OPEN_CONFIRMATION (91)"];
/** Lessons 3 to 7 end a session with exit-status 0, EOF and close. */
const END = [
  "→ SSH_MSG_CHANNEL_REQUEST (98) exit-status",
  "→ SSH_MSG_CHANNEL_EOF (96)",
  "→ SSH_MSG_CHANNEL_CLOSE (97)",
  "← SSH_MSG_CHANNEL_CLOSE (97)",
];

/** No password anywhere after the banner (which shows the demo one), and no colour when piped. */
function assertClean(server: LessonProcess, ...passwords: string[]): void {
  const afterBanner = server.stdout.text.split("Stop the server with Ctrl-C.\n")[1] ?? "";
  for (const password of ["goodpassword", ...passwords]) assert.ok(!afterBanner.includes(password), `${password} in:\n${afterBanner}`);
  assert.ok(!server.stdout.text.includes("\x1b["), "no colour when stdout is not a terminal");
  assert.doesNotMatch(server.stdout.text, /ssh2 debug:/, "every debug line of ssh2 was understood");
}

describe("ssh2's client", () => {
  test("lesson 7 with --wire --trace: every message in order, interleaved with the events", async () => {
    const server = await startLesson("protocols", ["--wire", "--trace"]);
    try {
      const client = await logIn(server.port);
      const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24, width: 640, height: 480 });
      await shell.waitFor("Echo protocol connected\r\n");
      shell.channel.write("h");
      await shell.waitFor("echo: 'h'\r\n");
      shell.channel.end();
      await shell.closed();
      client.end();
      await server.waitForLine(/^#1 +connectionLost/);
      await server.waitForLine(/^#1 +← SSH_MSG_DISCONNECT/);
      const lines = server.stdout.lines;
      assert.deepEqual(messages(lines), [
        ...KEX,
        ...LOGIN,
        ...OPEN,
        "← SSH_MSG_CHANNEL_REQUEST (98) pty-req",
        "→ SSH_MSG_CHANNEL_SUCCESS (99)",
        "← SSH_MSG_CHANNEL_REQUEST (98) shell",
        "→ SSH_MSG_CHANNEL_SUCCESS (99)",
        "→ SSH_MSG_CHANNEL_DATA (94)",
        "← SSH_MSG_CHANNEL_DATA (94)",
        "→ SSH_MSG_CHANNEL_DATA (94)",
        "← SSH_MSG_CHANNEL_EOF (96)",
        ...END,
        "← SSH_MSG_DISCONNECT (1)", // ssh2's client.end()
      ], server.stdout.text);

      // The message, then the event it raised, then the answer; the pty-req's bytes in between.
      const at = lines.findIndex((line) => line.includes("← SSH_MSG_CHANNEL_REQUEST (98) pty-req"));
      assert.match(lines[at], /^#1\.0 +← SSH_MSG_CHANNEL_REQUEST \(98\) pty-req, want reply: 'xterm' 80x24, 640x480 pixels +RFC 4254 §6\.2$/);
      assert.deepEqual(lines.slice(at + 1, at + 9).map((line) => line.replace(/ +/g, " ")), [
        "#1.0 string TERM 'xterm' 00 00 00 05 78 74 65 72 6d",
        "#1.0 uint32 terminal width, characters 80 00 00 00 50",
        "#1.0 uint32 terminal height, rows 24 00 00 00 18",
        "#1.0 uint32 terminal width, pixels 640 00 00 02 80",
        "#1.0 uint32 terminal height, pixels 480 00 00 01 e0",
        lines[at + 6].replace(/ +/g, " "), // the modes: ssh2's client sends none, so 1 byte (TTY_OP_END)
        "#1.0 request_pty_req 'xterm' 80x24: accepted",
        lines[at + 8].replace(/ +/g, " "),
      ]);
      assert.match(lines[at + 6], /^#1\.0 +string encoded terminal modes +1 bytes? +00 00 00 01 00$/);
      assert.match(lines[at + 8], /^#1\.0 +→ SSH_MSG_CHANNEL_SUCCESS \(99\) +RFC 4254 §5\.4$/);

      const line = (pattern: RegExp) => assert.ok(lines.some((each) => pattern.test(each)), `${pattern} in:\n${server.stdout.text}`);
      line(/^#1 +→ version SSH-2\.0-ssh2js1\.17\.0 +RFC 4253 §4\.2$/);
      line(/^#1 +agreed: curve25519-sha256(@libssh\.org)? \(RFC 8731\), host key ssh-ed25519, cipher \S+, MAC .+, compression none$/);
      line(/^#1 +← SSH_MSG_USERAUTH_REQUEST \(50\) password "alice" +RFC 4252 §8$/);
      line(/^#1 +→ SSH_MSG_USERAUTH_FAILURE \(51\) can continue: password +RFC 4252 §5\.1$/);
      line(/^#1\.0 +← SSH_MSG_CHANNEL_OPEN \(90\) session, sender channel 0, window \d+, max packet \d+ +RFC 4254 §5\.1$/);
      line(/^#1\.0 +→ SSH_MSG_CHANNEL_OPEN_CONFIRMATION \(91\) recipient channel 0, sender channel 0, window \d+, max packet \d+ +RFC 4254 §5\.1$/);
      line(/^#1\.0 +→ SSH_MSG_CHANNEL_DATA \(94\) 25 bytes +RFC 4254 §5\.2$/);
      line(/^#1\.0 +← SSH_MSG_CHANNEL_DATA \(94\) 1 byte +RFC 4254 §5\.2$/);
      line(/^#1\.0 +→ SSH_MSG_CHANNEL_REQUEST \(98\) exit-status: 0 +RFC 4254 §6\.10$/);
      // The events come right after the messages that raised them.
      const after = (message: string, event: string) => {
        const index = lines.findIndex((each) => each.includes(message));
        assert.ok(index >= 0 && lines[index + 1].includes(event), `${event} right after ${message}:\n${server.stdout.text}`);
      };
      after("← SSH_MSG_USERAUTH_REQUEST (50) none", `auth none "alice": refused`);
      after("← SSH_MSG_CHANNEL_REQUEST (98) shell", "request_shell: accepted");
      after("← SSH_MSG_CHANNEL_DATA (94) 1 byte", "dataReceived 1 byte 'h'");
      assertClean(server);
    } finally {
      await server.stop();
    }
  });

  test("lesson 2 run as its own file: ssh2 itself refuses the session channel", async () => {
    const server = await startLessonFile("lessons/02-password.ts", ["--wire"]);
    try {
      const client = await logIn(server.port);
      await assert.rejects(openShell(client), /Channel open failure/);
      client.end();
      await server.waitForLine(/^#1 +← SSH_MSG_DISCONNECT/);
      assert.deepEqual(messages(server.stdout.lines), [
        ...KEX,
        ...LOGIN,
        "← SSH_MSG_CHANNEL_OPEN (90) session",
        "→ SSH_MSG_CHANNEL_OPEN_FAILURE (92)",
        "← SSH_MSG_DISCONNECT (1)",
      ]);
      assert.ok(server.stdout.lines.some((line) =>
        /^#1\.0 +→ SSH_MSG_CHANNEL_OPEN_FAILURE \(92\) administratively prohibited \(1\) +RFC 4254 §5\.1$/.test(line)
      ), server.stdout.text);
      assertClean(server);
    } finally {
      await server.stop();
    }
  });

  test("lesson 3: the pty refused, the goodbye, exit-status 0, EOF, close", async () => {
    const server = await startLesson("channel", ["--wire"]);
    try {
      const client = await logIn(server.port);
      const shell = await openShell(client); // no pty: ssh2's client would give up on a refused one
      await shell.closed();
      client.end();
      await server.waitForLine(/^#1 +← SSH_MSG_DISCONNECT/);
      assert.deepEqual(messages(server.stdout.lines), [
        ...KEX,
        ...LOGIN,
        ...OPEN,
        "← SSH_MSG_CHANNEL_REQUEST (98) shell",
        "→ SSH_MSG_CHANNEL_SUCCESS (99)",
        "→ SSH_MSG_CHANNEL_DATA (94)",
        ...END,
        "← SSH_MSG_DISCONNECT (1)",
      ]);
      assertClean(server);
    } finally {
      await server.stop();
    }
  });

  test("ssh2's own keepalive, and a rekey: both shown", async () => {
    const seen: WireLine[] = [];
    const connections: Connection[] = [];
    const notes: string[] = [];
    const interval = ssh2.Server.KEEPALIVE_CLIENT_INTERVAL;
    ssh2.Server.KEEPALIVE_CLIENT_INTERVAL = 50; // read when a connection starts (ssh2 pings every 15 s)
    const server = await serveLesson(protocols, {
      host: "127.0.0.1",
      port: 0,
      keys: join(ROOT, "keys"),
      limits: { passwordDelayMs: 0 },
      log: () => {},
      wire: { message: (line) => seen.push(line), note: (_tag, _n, text) => notes.push(text), closed: () => {} },
      extra: [(next) => (client: Connection, context) => {
        ssh2.Server.KEEPALIVE_CLIENT_INTERVAL = interval;
        connections.push(client);
        next(client, context);
      }],
    });
    const shown = () => seen.map((line) => `${line.direction === "in" ? "←" : "→"} ${line.name} ${line.summary}`.trim());
    try {
      const client = await logIn(server.address.port);
      await eventually(() => shown().includes("→ SSH_MSG_GLOBAL_REQUEST keepalive@openssh.com, want reply"), "a keepalive");
      await eventually(() => shown().includes("← SSH_MSG_REQUEST_FAILURE"), "the client's answer to it");
      const before = seen.length;
      // A new key exchange, which either side may start at any time (RFC 4253 §9): here the server.
      await new Promise<void>((resolve, reject) => connections[0].rekey((error?: Error) => (error ? reject(error) : resolve())));
      await eventually(() => notes.length === 2, "the second key exchange agreed");
      const rekey = shown().slice(before).filter((line) => !/GLOBAL_REQUEST|REQUEST_FAILURE/.test(line)).map((line) => line.split(" ").slice(0, 2).join(" "));
      assert.deepEqual(rekey, ["→ SSH_MSG_KEXINIT", "← SSH_MSG_KEXINIT", "← SSH_MSG_KEX_ECDH_INIT", "→ SSH_MSG_KEX_ECDH_REPLY", "→ SSH_MSG_NEWKEYS", "← SSH_MSG_NEWKEYS"]);
      client.end();
    } finally {
      ssh2.Server.KEEPALIVE_CLIENT_INTERVAL = interval;
      await server.close();
    }
  });
});

describe("OpenSSH", { skip: NO_OPENSSH }, () => {
  /** The messages of a real `ssh` session, without `env` (Debian's ssh sends LANG when it is set). */
  const withoutEnv = (lines: string[], connection: number) =>
    messages(lines, connection).filter((line) => line !== "← SSH_MSG_CHANNEL_REQUEST (98) env");

  function lessonWithSsh(name: string, start: (name: string, args: string[]) => Promise<LessonProcess>) {
    const context = {} as { server: LessonProcess; ssh: OpenSsh };
    before(async () => {
      context.server = await start(name, ["--wire"]);
      context.ssh = OpenSsh.forServer(context.server.port); // a connection of its own: #1, the key scan
    });
    after(async () => {
      context.ssh?.remove();
      await context.server?.stop();
    });
    return context;
  }

  describe("lesson 2", () => {
    const lesson = lessonWithSsh("password", startLesson);
    test("login, then the refused channel, then ssh's disconnect", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24, password: "goodpassword" });
      assert.equal(await run.exitCode(), 255);
      await lesson.server.waitForLine(/^#2 +← SSH_MSG_DISCONNECT/);
      assert.deepEqual(withoutEnv(lesson.server.stdout.lines, 2), [
        ...KEX,
        ...LOGIN,
        "← SSH_MSG_CHANNEL_OPEN (90) session",
        "→ SSH_MSG_CHANNEL_OPEN_FAILURE (92)",
        "← SSH_MSG_DISCONNECT (1)",
      ]);
      assertClean(lesson.server);
    });
  });

  describe("lesson 3", () => {
    const lesson = lessonWithSsh("lessons/03-channel.ts", (file, args) => startLessonFile(file, args));
    test("pty refused, shell, goodbye, exit-status 0", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24 });
      assert.equal(await run.exitCode(), 0);
      await lesson.server.waitForLine(/^#2 +← SSH_MSG_DISCONNECT/);
      assert.deepEqual(withoutEnv(lesson.server.stdout.lines, 2), [
        ...KEX,
        ...LOGIN,
        ...OPEN,
        "← SSH_MSG_CHANNEL_REQUEST (98) pty-req",
        "→ SSH_MSG_CHANNEL_FAILURE (100)",
        "← SSH_MSG_CHANNEL_REQUEST (98) shell",
        "→ SSH_MSG_CHANNEL_SUCCESS (99)",
        "→ SSH_MSG_CHANNEL_DATA (94)",
        ...END,
        "← SSH_MSG_DISCONNECT (1)",
      ]);
      assertClean(lesson.server);
    });
  });

  describe("lesson 7", () => {
    const lesson = lessonWithSsh("protocols", startLesson);
    test("a typed key and ~.; and ssh's keepalives, answered by ssh2", async () => {
      const run = lesson.ssh.run({ terminal: XTERM_80x24, args: ["-o", "ServerAliveInterval=1"] });
      await run.waitFor("Echo protocol connected\r\n");
      run.type("h");
      await run.waitFor("echo: 'h'\r\n");
      await lesson.server.waitForLine(/^#2 +→ SSH_MSG_REQUEST_FAILURE \(82\)/);
      run.type("\r~.");
      assert.equal(await run.exitCode(), 255);
      await lesson.server.waitForLine(/^#2 +← SSH_MSG_DISCONNECT/);
      const lines = lesson.server.stdout.lines;
      const keepalives = ["← SSH_MSG_GLOBAL_REQUEST (80) keepalive@openssh.com", "→ SSH_MSG_REQUEST_FAILURE (82)"];
      assert.deepEqual(withoutEnv(lines, 2).filter((line) => !keepalives.includes(line)), [
        ...KEX,
        ...LOGIN,
        ...OPEN,
        "← SSH_MSG_CHANNEL_REQUEST (98) pty-req",
        "→ SSH_MSG_CHANNEL_SUCCESS (99)",
        "← SSH_MSG_CHANNEL_REQUEST (98) shell",
        "→ SSH_MSG_CHANNEL_SUCCESS (99)",
        "→ SSH_MSG_CHANNEL_DATA (94)",
        "← SSH_MSG_CHANNEL_DATA (94)",
        "→ SSH_MSG_CHANNEL_DATA (94)",
        "← SSH_MSG_DISCONNECT (1)",
      ]);
      assert.ok(lines.some((line) => /^#2 +← SSH_MSG_GLOBAL_REQUEST \(80\) keepalive@openssh\.com, want reply +RFC 4254 §4$/.test(line)), lesson.server.stdout.text);
      assert.ok(lines.some((line) => /^#2\.0 +← SSH_MSG_CHANNEL_REQUEST \(98\) pty-req, want reply: 'xterm' 80x24, \d+x\d+ pixels +RFC 4254 §6\.2$/.test(line)));
      assertClean(lesson.server);
    });
  });
});
