/**
 * Every client a student or an autograder uses, against lessons 3, 4, 6 and 7 (each lesson's
 * real server process): PuTTY's plink, Dropbear's dbclient, paramiko, asyncssh and Go's
 * x/crypto/ssh. Exact bytes, exit-status 0, and the server's EOF; 1 MiB through plink and
 * asyncssh with a key re-exchange every 64 KiB; paramiko offering a key before its password;
 * ssh-audit finds no [fail]. A client that is not installed is skipped with the package that
 * brings it (see helpers/clients.ts); `.ci/run` installs them all.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  buildGoClient,
  type ClientName,
  type ClientRun,
  dbclient,
  fingerprint,
  goClient,
  plink,
  python,
  runCommand,
  temporaryHome,
  unavailable,
} from "./helpers/clients.ts";
import { type LessonProcess, startLesson, UNDER_DENO } from "./helpers/lesson-process.ts";
import type { TerminalSize } from "./helpers/openssh.ts";

const XTERM_80x24: TerminalSize = { term: "xterm", cols: 80, rows: 24 };
const KiB = 1024;

/** One client's session: its output, the exit status the server sent, whether its EOF came. */
interface Session {
  output: Buffer;
  exit: number | null;
  /** undefined where the client does not report EOF by itself (then its clean exit implies it). */
  eof?: boolean;
  run: ClientRun;
}

interface SessionOptions {
  home: string;
  pty?: TerminalSize;
  stdin?: string | Buffer;
}

let goBinary = "";
const goDir = mkdtempSync(join(tmpdir(), "go-client-"));

/** How to run one session with each client. */
const CLIENTS: Record<Exclude<ClientName, "ssh-audit">, (server: LessonProcess, options: SessionOptions) => Promise<Session>> = {
  async plink(server, options) {
    const run = await plink(server.port, fingerprint(server), options);
    return { output: run.stdout, exit: run.code, run };
  },
  async dbclient(server, options) {
    const run = await dbclient(server.port, options);
    return { output: run.stdout, exit: run.code, run };
  },
  async paramiko(server, options) {
    const run = await python("paramiko", server.port, fingerprint(server), options);
    return { output: run.stdout, exit: run.summary.exit, eof: run.summary.eof, run };
  },
  async asyncssh(server, options) {
    const run = await python("asyncssh", server.port, fingerprint(server), options);
    return { output: run.stdout, exit: run.summary.exit, eof: run.summary.eof, run };
  },
  async go(server, options) {
    const run = await goClient(goBinary, server.port, fingerprint(server), options);
    return { output: run.stdout, exit: run.code, run };
  },
};
const NAMES = Object.keys(CLIENTS) as (keyof typeof CLIENTS)[];
const skip = Object.fromEntries([...NAMES, "ssh-audit" as const].map((name) => [name, unavailable(name)]));

before(async () => {
  if (!skip.go) goBinary = await buildGoClient(goDir);
});
after(() => rmSync(goDir, { recursive: true, force: true }));

/** A pty run goes through a terminal: compare lines as a terminal shows them. */
const asText = (bytes: Buffer) => bytes.toString("latin1").replace(/\r*\n/g, "\n");

/** Starts a lesson's server for one describe block; afterwards, no stack trace in its log. */
function lessonServer(name: string, args: string[] = []) {
  const context = {} as { server: LessonProcess };
  before(async () => (context.server = await startLesson(name, args)));
  after(async () => {
    const log = context.server?.stderr.text ?? "";
    await context.server?.stop();
    assert.doesNotMatch(log, /^\s+at |unexpected error/m, `a stack trace in the server's log:\n${log}`);
  });
  return context;
}

/** One test per client: a session with `options`, checked by `check`. */
function eachClient(
  lesson: { server: LessonProcess },
  what: string,
  options: Omit<SessionOptions, "home">,
  check: (session: Session, client: string) => void,
) {
  for (const client of NAMES) {
    test(`${client}: ${what}`, { skip: skip[client] }, async () => {
      const home = temporaryHome();
      try {
        const session = await CLIENTS[client](lesson.server, { ...options, home: home.dir });
        check(session, client);
        assert.equal(session.exit, 0, `exit status; stderr: ${session.run.stderr}`);
        if (session.eof !== undefined) assert.equal(session.eof, true, "the server's EOF");
      } finally {
        home.remove();
      }
    });
  }
}

describe("other clients", { concurrency: true }, () => {
  describe("lesson 3, channel: no pty", { concurrency: 2 }, () => {
    const lesson = lessonServer("channel");
    eachClient(lesson, "the goodbye line, exit-status 0", {}, ({ output }) => {
      assert.equal(output.toString("latin1"), "This session is very simple.  Goodbye!\r\n");
    });
  });

  describe("lesson 4, pty: an 80x24 xterm", { concurrency: 2 }, () => {
    const lesson = lessonServer("pty");
    const line = "Your terminal name is 'xterm'.  Your terminal is 80 columns wide and 24 rows tall.";
    eachClient(lesson, "the terminal's name and size", { pty: XTERM_80x24 }, ({ output }, client) => {
      if (client === "plink" || client === "dbclient") {
        // In a real terminal, with the client's own notes around it.
        assert.ok(asText(output).split("\n").includes(line), asText(output));
      } else {
        assert.equal(output.toString("latin1"), `${line}\r\n`);
      }
    });
  });

  describe("lesson 6, eof: input, then EOF", { concurrency: 2 }, () => {
    const lesson = lessonServer("eof");
    eachClient(lesson, "the echo, eof received, exit-status 0", { stdin: "hi\n" }, ({ output }) => {
      assert.equal(output.toString("latin1"), "echo: 'hi\\n'\r\neof received\r\n");
    });
  });

  describe("lesson 7, protocols: input, then EOF", { concurrency: 2 }, () => {
    const lesson = lessonServer("protocols");
    eachClient(lesson, "the banner, the echo, exit-status 0", { stdin: "hi\n" }, ({ output }) => {
      assert.equal(output.toString("latin1"), "Echo protocol connected\r\necho: 'hi\\n'\r\n");
    });

    test("dbclient accepted the host key the server printed", { skip: skip.dbclient }, async () => {
      const home = temporaryHome();
      try {
        const run = await dbclient(lesson.server.port, { home: home.dir, stdin: "" });
        assert.ok(run.stderr.includes(`(ssh-ed25519 fingerprint ${fingerprint(lesson.server)})`), run.stderr);
      } finally {
        home.remove();
      }
    });

    test("paramiko offering a key first (its default with a key in ~/.ssh) logs in with the password", {
      skip: skip.paramiko,
    }, async () => {
      const home = temporaryHome();
      try {
        mkdirSync(join(home.dir, ".ssh"));
        const key = join(home.dir, ".ssh", "id_ed25519");
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key], { stdio: "ignore" });
        for (const options of [{ key }, { defaults: true }]) {
          const run = await python("paramiko", lesson.server.port, fingerprint(lesson.server), {
            home: home.dir,
            stdin: "hi\n",
            ...options,
          });
          assert.equal(run.stdout.toString("latin1"), "Echo protocol connected\r\necho: 'hi\\n'\r\n");
          assert.equal(run.summary.exit, 0);
        }
        assert.equal(lesson.server.stderr.count(/publickey login refused for "alice"/), 2, lesson.server.stderr.text);
        assert.equal(lesson.server.stderr.count(/alice logged in with password \(paramiko_/) >= 2, true);
      } finally {
        home.remove();
      }
    });
  });

  describe("1 MiB through lesson 7 with a key re-exchange every 64 KiB", { concurrency: 1 }, () => {
    const lesson = lessonServer("protocols", ["--trace"]);
    // Base64 needs no escaping in the echo, so the echoed text is the input itself.
    const input = Buffer.from(randomBytes(768 * KiB).toString("base64"), "latin1");
    assert.equal(input.length, 1024 * KiB);
    let connections = 0;

    /** The bytes the echo lines stand for, after the banner. */
    const echoed = (output: Buffer) => {
      const text = output.toString("latin1");
      assert.ok(text.startsWith("Echo protocol connected\r\n"), text.slice(0, 100));
      return [...text.matchAll(/echo: '([^']*)'\r\n/g)].map((match) => match[1]).join("");
    };
    /** How many times connection #n exchanged keys, the first time included. */
    const keyExchanges = (n: number) => lesson.server.stdout.count(new RegExp(`^#${n} +key exchange: `));

    test("plink (RekeyBytes=64K in a saved session)", { skip: skip.plink }, async () => {
      const home = temporaryHome();
      try {
        mkdirSync(join(home.dir, ".putty", "sessions"), { recursive: true });
        execFileSync("sh", ["-c", `printf 'RekeyBytes=64K\\n' > "$1"`, "-", join(home.dir, ".putty/sessions/rekey64k")]);
        const run = await plink(lesson.server.port, fingerprint(lesson.server), { home: home.dir, stdin: input, session: "rekey64k" });
        const n = ++connections;
        assert.equal(run.code, 0, run.stderr);
        assert.ok(echoed(run.stdout) === input.toString("latin1"), "the echo is the input");
        await lesson.server.waitForLine(new RegExp(`^#${n} +connectionLost: closed cleanly$`));
        assert.ok(keyExchanges(n) >= 9, `${keyExchanges(n)} key exchanges`);
      } finally {
        home.remove();
      }
    });

    test("asyncssh (rekey_bytes=65536, an SSH_MSG_IGNORE before each packet)", { skip: skip.asyncssh }, async () => {
      const home = temporaryHome();
      try {
        // 16 KiB at a time, each after the echo of the one before, so the rekeys fall all along.
        const run = await python("asyncssh", lesson.server.port, fingerprint(lesson.server), {
          home: home.dir,
          stdin: input,
          rekey: 64 * KiB,
          pace: 16 * KiB,
        });
        const n = ++connections;
        assert.equal(run.summary.exit, 0, run.stderr);
        assert.equal(run.summary.eof, true);
        assert.ok(echoed(run.stdout) === input.toString("latin1"), "the echo is the input");
        await lesson.server.waitForLine(new RegExp(`^#${n} +connectionLost: closed cleanly$`));
        // asyncssh compresses (zlib@openssh.com), so 1 MiB of base64 is about 780 KB on the wire.
        assert.ok(keyExchanges(n) >= 6, `${keyExchanges(n)} key exchanges`);
      } finally {
        home.remove();
      }
    });
  });

  describe("ssh-audit", () => {
    const lesson = lessonServer("protocols");

    test("no [fail]; a [warn] only where a client needs it", { skip: skip["ssh-audit"] }, async () => {
      const run = await runCommand("ssh-audit", ["-n", "-p", String(lesson.server.port), "127.0.0.1"]);
      const report = run.stdout.toString("utf8");
      assert.ok(report.includes(`(fin) ssh-ed25519: ${fingerprint(lesson.server)}`), `no scan:\n${report}`);
      assert.doesNotMatch(report, /\[fail\]/, report);
      const warned = [...report.matchAll(/^\((\w+)\) (\S+) +-- \[warn\]/gm)].map((match) => match[2]);
      // hmac-sha2-256: paramiko 2.12 has no other MAC we offer. kex-strict-s-v00@openssh.com:
      // the Terrapin countermeasure, newer than ssh-audit 2.5.0, which calls it unknown.
      assert.deepEqual(warned.sort(), ["hmac-sha2-256", "kex-strict-s-v00@openssh.com"], report);
      // No compression before login; under Deno none at all (lessons/server/algorithms.ts).
      const compression = UNDER_DENO ? "disabled" : "enabled (zlib@openssh.com)";
      assert.ok(report.includes(`(gen) compression: ${compression}\n`), report);
    });
  });
});
