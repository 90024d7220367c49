/** tutorial.ts itself: flags, start-up output, keys, clear errors, and shutdown. */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, test } from "node:test";
import { ROOT, runTutorial, startLesson, TIMEOUT_MS, UNDER_DENO } from "./helpers/lesson-process.ts";
import { logIn, openShell, within } from "./helpers/ssh-client.ts";
import { NO_TERMINAL, spawnInTerminal } from "./helpers/pty.ts";

const STACK_TRACE = /^\s+at /m;
const scratch = mkdtempSync(join(tmpdir(), "ssh-in-60-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh keys/ folder holding the demo password file (and `files`, by name). */
function keysDir(name: string, files: Record<string, string> = {}): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  if (name !== "no-passwords") copyFileSync(join(ROOT, "keys", "ssh-passwords"), join(dir, "ssh-passwords"));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text, { mode: 0o600 });
  return dir;
}

/** What `ssh-keygen -l` says the fingerprint of a public key file is. */
function sshKeygenFingerprint(publicKeyFile: string): string {
  return execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", publicKeyFile], { encoding: "utf8" }).split(" ")[1];
}

test("--help explains the flags and lists the lessons", async () => {
  const { code, stdout } = await runTutorial(["--help"]);
  assert.equal(code, 0);
  for (const flag of ["--lesson", "--port", "--host", "--list", "--help"]) assert.ok(stdout.includes(flag), flag);
  assert.match(stdout, /7 +protocols/);
});

test("without --lesson it lists the seven lessons and an example", async () => {
  const { code, stdout } = await runTutorial([]);
  assert.equal(code, 0);
  for (const slug of ["introduction", "password", "channel", "pty", "input", "eof", "protocols"]) {
    assert.ok(stdout.includes(slug), slug);
  }
  assert.match(stdout, /npx tsx tutorial\.ts --lesson protocols/);
  assert.equal((await runTutorial(["--list"])).stdout, stdout);
});

test("a lesson is found by name, number or zero-padded number", async () => {
  for (const name of ["protocols", "7", "07", "PROTOCOLS"]) {
    const server = await startLesson(name);
    assert.match(server.stdout.text, /^Lesson 7: protocols$/m);
    assert.equal(await server.stop(), 0);
  }
});

test("start-up prints the article, the address, the ssh command and the ssh-style fingerprint", async () => {
  const server = await startLesson("2");
  const out = server.stdout.text;
  assert.match(out, /"Twisted Conch in 60 Seconds: Password Authentication" \(2011-03-24\)/);
  assert.match(out, new RegExp(`^Listening on 127\\.0\\.0\\.1:${server.port}$`, "m"));
  assert.match(out, new RegExp(`ssh -p ${server.port} alice@localhost +\\(password: goodpassword\\)`));
  const fingerprint = out.match(/^ED25519 key fingerprint is (SHA256:\S+)\./m)?.[1];
  assert.equal(fingerprint, sshKeygenFingerprint(join(ROOT, "keys", "ssh_host_ed25519_key.pub")));
  assert.equal(await server.stop("SIGINT"), 0);
});

test("--host 0.0.0.0: the banner names this machine's network addresses, and warns", {
  skip: UNDER_DENO && "the Deno launcher allows 127.0.0.1 only",
}, async () => {
  const lan = Object.values(networkInterfaces()).flat()
    .filter((each) => each && !each.internal && each.family === "IPv4")
    .map((each) => each!.address);
  const server = await startLesson("7", ["--host", "0.0.0.0"]);
  try {
    const out = server.stdout.text;
    for (const address of lan) assert.match(out, new RegExp(`ssh -p ${server.port} alice@${address.replaceAll(".", "\\.")}\\b`));
    if (lan.length === 0) assert.match(out, /\(this machine has no network address besides loopback\)/);
    assert.match(out, new RegExp(`ssh -p ${server.port} alice@localhost +\\(from this machine\\)`));
    assert.doesNotMatch(out, /alice@0\.0\.0\.0/);
    assert.match(server.stderr.text, /^Warning: listening on 0\.0\.0\.0, not only on this machine; the demo passwords/m);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test("an empty keys folder gets an ed25519 host key (mode 0600) that is reused", async () => {
  const dir = keysDir("fresh");
  const first = await startLesson("introduction", ["--keys", dir]);
  await first.stop();
  const key = join(dir, "ssh_host_ed25519_key");
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.match(readFileSync(key, "utf8"), /^-{5}BEGIN OPENSSH PRIVATE KEY-{5}\n/);
  const second = await startLesson("introduction", ["--keys", dir]);
  await second.stop();
  const printed = (text: string) => text.match(/fingerprint is (\S+)\./)?.[1];
  assert.equal(printed(second.stdout.text), printed(first.stdout.text));
  assert.equal(printed(first.stdout.text), sshKeygenFingerprint(`${key}.pub`));
});

test("the article's PEM id_rsa is served as well", async () => {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const dir = keysDir("pem", { id_rsa: privateKey });
  const server = await startLesson("protocols", ["--keys", dir]);
  assert.match(server.stdout.text, /^RSA key fingerprint is SHA256:\S+\. {2}\(.*id_rsa\)$/m);
  const shell = await openShell(await logIn(server.port));
  await shell.waitFor("Echo protocol connected\r\n");
  await server.stop();
});

test("bad input: one clear line, a non-zero exit, no stack trace", async (t) => {
  const cases: [string, string[], number, RegExp][] = [
    ["unknown lesson", ["--lesson", "sftp"], 2, /no lesson "sftp"; choose one of: 1 introduction, .*7 protocols/],
    ["unknown flag", ["--lesson", "7", "--colour"], 2, /Unknown option '--colour'/],
    ["port not a number", ["--lesson", "7", "--port", "ssh"], 2, /--port "ssh" is not a port number/],
    ["port too big", ["--lesson", "7", "--port", "70000"], 2, /--port "70000" is not a port number/],
    ["malformed password file", ["--lesson", "2", "--port", "0", "--keys",
      keysDir("bad-passwords", { "ssh-passwords": "alice:goodpassword\n# a comment\nbob\n" })], 1,
      /bad-passwords\/ssh-passwords:3: expected user:password, found "bob"/],
    ["missing keys folder", ["--lesson", "2", "--port", "0", "--keys", join(scratch, "nowhere")], 1,
      /nowhere: no such folder/],
    ["missing password file", ["--lesson", "2", "--port", "0", "--keys", keysDir("no-passwords")], 1,
      /no-passwords\/ssh-passwords: cannot read the password file \(ENOENT\)/],
    ["malformed host key", ["--lesson", "2", "--port", "0", "--keys",
      keysDir("bad-key", { ssh_host_ed25519_key: "not a key\n" })], 1,
      /bad-key\/ssh_host_ed25519_key: not a usable host key/],
  ];
  for (const [name, args, expectedCode, message] of cases) {
    await t.test(name, async () => {
      const { code, stderr } = await runTutorial(args);
      assert.equal(code, expectedCode, stderr);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, STACK_TRACE);
    });
  }
});

test("a port in use is reported, not thrown", async () => {
  const server = await startLesson("protocols");
  const { code, stderr } = await runTutorial(["--lesson", "7", "--port", String(server.port)]);
  await server.stop();
  assert.equal(code, 1);
  assert.match(stderr, new RegExp(`port ${server.port} on 127\\.0\\.0\\.1 is already in use`));
  assert.doesNotMatch(stderr, STACK_TRACE);
});

test("SIGTERM closes open sessions (their connectionLost runs) and exits 0", async () => {
  const server = await startLesson("protocols");
  const shell = await openShell(await logIn(server.port), { term: "xterm", cols: 80, rows: 24 });
  await shell.waitFor("Echo protocol connected\r\n");
  assert.equal(await server.stop("SIGTERM"), 0);
  await shell.closed();
  assert.equal(server.stdout.count(/^Connection lost /), 1);
});

test("Deno: a missing permission is one line that names the flag", { skip: !UNDER_DENO }, () => {
  const cases: [string[], RegExp][] = [
    [["--allow-read=keys"], /Deno may not listen on 127\.0\.0\.1:2099: run it with --allow-net=127\.0\.0\.1/],
    [["--allow-net=127.0.0.1"], /Requires read access to ".*keys".*--allow-read/],
  ];
  for (const [permissions, message] of cases) {
    const run = spawnSync(process.execPath, ["run", "--no-prompt", ...permissions, "tutorial.ts", "--lesson", "7", "--port", "2099"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 10_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, STACK_TRACE);
  }
});

test("Deno: deno task start in a terminal serves without stopping to ask for a permission", { skip: !UNDER_DENO || NO_TERMINAL }, async () => {
  // In a terminal Deno would ask about ssh2's native add-on; the task's --no-prompt refuses it quietly.
  const child = spawnInTerminal(process.execPath, ["task", "start", "--lesson", "7", "--port", "0"], { cols: 80, rows: 24, cwd: ROOT });
  let output = "";
  const listening = new Promise<void>((resolve) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      if (output.includes("Listening on ")) resolve();
    });
  });
  const exited = new Promise((resolve) => child.once("close", resolve));
  await within(listening, () => `deno task start: ${JSON.stringify(output)}`).finally(() => {
    child.stdin!.write("\x03"); // Ctrl-C in the terminal stops the server
    setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS).unref(); // in case it does not
  });
  await within(exited, "deno task start after Ctrl-C");
  assert.doesNotMatch(output, /Deno requests/);
});

test("diff 6 7 | head: the output going away ends it quietly, exit 0", {
  skip: UNDER_DENO && "Deno drops writes to a closed pipe",
}, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "tutorial.ts", "diff", "6", "7"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  child.stdout!.once("data", () => child.stdout!.destroy()); // `head` has read enough
  assert.equal(await within(exited, "tutorial.ts diff ending"), 0);
  assert.doesNotMatch(stderr, STACK_TRACE);
});

// Deno quietly drops writes to a closed stdout, so there it neither spins nor stops.
test("when its output is gone (a closed terminal, `| head`), the server stops instead of spinning", {
  skip: UNDER_DENO && "Deno drops writes to a closed pipe",
}, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "tutorial.ts", "--lesson", "7", "--port", "0", "--password-delay", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let text = "";
  const port = await within(new Promise<number>((resolve) => {
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      const match = /Listening on [\d.]+:(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
  }), "the server starting").catch((error) => {
    child.kill("SIGKILL");
    throw error;
  });
  child.stdout!.destroy(); // the reader goes away
  child.stderr!.destroy();
  // A login makes the server log a line, into nothing; it may stop before the login ends.
  await logIn(port).then((client) => client.end(), () => {});
  const code = await within(exited, "the server stopping").catch((error) => {
    child.kill("SIGKILL");
    throw error;
  });
  assert.equal(code, 0);
});
