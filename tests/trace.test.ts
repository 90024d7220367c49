/** `--trace`: a real session's events, in order, named as the articles name them. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { colourWanted } from "../lessons/server/terminal-text.ts";
import { startLesson } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

test("a session's events, in order, with connection and channel tags", async () => {
  const server = await startLesson("protocols", ["--trace"]);
  try {
    const client = await logIn(server.port, "alice", "goodpassword");
    const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
    shell.channel.write("h");
    await shell.waitFor("echo: 'h'\r\n");
    shell.channel.end();
    await shell.closed();
    client.end();
    await server.waitForLine(/^#1 +connectionLost: closed cleanly$/);

    const expected = [
      /^#1 +connectionMade from 127\.0\.0\.1:\d+ \(ssh2js[\d.]+\)$/,
      /^#1 +key exchange: curve25519-sha256(@libssh\.org)?, host key ssh-ed25519, cipher \S+$/,
      /^#1 +auth none "alice": refused$/,
      /^#1 +auth password "alice": accepted$/,
      /^#1\.0 +lookupChannel session: accepted$/,
      /^#1\.0 +request_pty_req 'xterm' 80x24: accepted$/,
      /^#1\.0 +request_shell: accepted$/,
      /^#1\.0 +write 25 bytes 'Echo protocol connected\\r\\n'$/,
      /^#1\.0 +dataReceived 1 byte 'h'$/,
      /^#1\.0 +write 11 bytes "echo: 'h'\\r\\n"$/,
      /^#1\.0 +eofReceived$/,
      /^#1\.0 +exit-status 0$/,
      /^#1\.0 +loseConnection \(EOF and close sent\)$/,
      /^#1\.0 +closed$/,
      /^#1 +connectionLost: closed cleanly$/,
    ];
    const traced = server.stdout.lines.filter((line) => line.startsWith("#"));
    let at = 0;
    for (const pattern of expected) {
      const found = traced.findIndex((line, index) => index >= at && pattern.test(line));
      assert.ok(found >= 0, `${pattern} after line ${at} of:\n${traced.join("\n")}`);
      at = found + 1;
    }
    assert.doesNotMatch(traced.join("\n"), /goodpassword/); // (the start-up text shows the demo one)
    assert.ok(!server.stdout.text.includes("\x1b["), "no colour when stdout is not a terminal");
  } finally {
    await server.stop();
  }
});

test("without --trace, stdout holds only what the article prints", async () => {
  const server = await startLesson("protocols");
  try {
    const client = await logIn(server.port);
    const shell = await openShell(client);
    shell.channel.end("x");
    await shell.closed();
    client.end();
    await server.waitForLine(/^Connection lost /);
    const afterBanner = server.stdout.text.split("Stop the server with Ctrl-C.\n\n")[1];
    assert.equal(afterBanner, "Connection lost ConnectionDone: Connection was closed cleanly.\n");
    assert.match(server.stderr.text, /^\[1 127\.0\.0\.1:\d+\] alice logged in with password \(ssh2js[\d.]+\)$/m);
  } finally {
    await server.stop();
  }
});

test("colour only on a terminal, and never with NO_COLOR set", () => {
  assert.equal(colourWanted(true, undefined), true);
  assert.equal(colourWanted(true, "1"), false);
  assert.equal(colourWanted(false, undefined), false);
  assert.equal(colourWanted(true, ""), true, "an empty NO_COLOR does not count (no-color.org)");
});
