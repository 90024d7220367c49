/**
 * A classroom and then some: 500 sessions open at once are all served, and 5,000 sessions
 * that come and go leave the server's memory where it was (no listener, timer or buffer
 * left behind per session). The memory check forces garbage collection (`--expose-gc`) and
 * uses a loose bound, so it measures leaks, not noise.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import process from "node:process";
import { inParallel } from "../bench/load.ts";
import { protocols, QuietEcho, serveInProcess } from "./helpers/in-process.ts";
import { startLesson } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

test("500 sessions open at the same time are all served", async () => {
  const server = await startLesson("protocols");
  const clients: Awaited<ReturnType<typeof logIn>>[] = [];
  try {
    // 50 logging in at a time (200 at the same moment: tests/classroom.test.ts).
    await inParallel(500, 50, async (index) => {
      const client = await logIn(server.port);
      clients.push(client);
      const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
      await shell.waitFor("Echo protocol connected\r\n");
      shell.channel.write(`s${index}`);
      await shell.waitFor(`echo: 's${index}'\r\n`);
    });
    assert.equal(clients.length, 500);
  } finally {
    for (const client of clients) client.end();
    await server.waitForLine(/^Connection lost /, clients.length);
    await server.stop();
  }
});

test("5,000 sessions come and go; the server's memory does not grow", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, "run with --expose-gc (npm test does; deno task test passes --v8-flags=--expose-gc)");
  const server = await serveInProcess(protocols, { makeProtocol: () => new QuietEcho() });
  // 10 connections at once, each running 500 whole sessions one after another.
  const sessions = async (count: number) => {
    await inParallel(10, 10, async () => {
      const client = await logIn(server.port);
      for (let i = 0; i < count / 10; i++) {
        const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
        await shell.waitFor("Echo protocol connected\r\n");
        shell.channel.write("x");
        await shell.waitFor("echo: 'x'\r\n");
        shell.channel.end();
        await shell.closed();
      }
      client.end();
    });
  };
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on("warning", onWarning);
  await sessions(1000); // warm up: code compiled, pools filled
  const before = heap();
  await sessions(5000);
  const after = heap();
  await server.close();
  process.off("warning", onWarning);
  // A listener left on the connection per session shows up as Node's MaxListeners warning.
  assert.deepEqual(warnings, []);
  // A leak of even 400 bytes a session would pass 2 MB; what is left is measured noise.
  const growth = after - before;
  assert.ok(growth < 2 * 1024 * 1024, `heap grew by ${(growth / 1024).toFixed(0)} KB over 5,000 sessions`);
});
