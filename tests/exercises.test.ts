/**
 * The exercise at the end of each lesson file, checked. By default each check runs against
 * the reference solution in lessons/solutions/, so CI proves both. To check your own:
 *
 *   npm run exercise 3 lessons/my-channel.ts
 *
 * Your file is a copy of the lesson's file, changed (so it exports `article` and `makeServer`);
 * for exercise 7 a module exporting a Protocol is enough.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { LessonModule } from "../lessons/server/lesson.ts";
import { LESSON_SHAPE } from "../lessons/server/load-lesson.ts";
import { loadProtocol } from "../lessons/server/load-protocol.ts";
import type { Protocol } from "../lessons/twisted/protocol.ts";
import { type InProcessServer, protocols, serveInProcess } from "./helpers/in-process.ts";
import { ROOT } from "./helpers/lesson-process.ts";
import { eventually, logIn, openShell, tryLogIn } from "./helpers/ssh-client.ts";

const XTERM = { term: "xterm", cols: 80, rows: 24 };

/** The lesson a file is (or, for lesson 7, lesson 7 serving the file's Protocol). */
async function lessonFrom(file: string, number: number): Promise<[LessonModule, (() => Protocol)?]> {
  const module: Partial<LessonModule> = await import(pathToFileURL(file).href);
  if (typeof module.makeServer === "function" && module.article) return [module as LessonModule];
  if (number === 7) return [protocols, (await loadProtocol(file)).makeProtocol];
  throw new Error(`${file}: ${LESSON_SHAPE}`);
}

const EXERCISES: [number, string, string, (server: InProcessServer) => Promise<void>][] = [
  [1, "01-introduction", "log every attempt before refusing it", async (server) => {
    const result = await tryLogIn(server.port, "alice", "goodpassword");
    assert.equal(result.client, undefined, "nobody gets in");
    await eventually(() => server.log.some((line) => line.endsWith("login attempt: password by alice")), "the log line");
    assert.ok(server.log.some((line) => line.endsWith("login attempt: none by alice")));
  }],
  [2, "02-password", "bob with any password; the others only with theirs", async (server) => {
    (await logIn(server.port, "bob", "anything at all")).end();
    (await logIn(server.port, "alice", "goodpassword")).end();
    assert.equal((await tryLogIn(server.port, "alice", "badpassword")).client, undefined);
    assert.equal((await tryLogIn(server.port, "mallory", "goodpassword")).client, undefined);
  }],
  [3, "03-channel", "goodbye by name", async (server) => {
    const client = await logIn(server.port, "bob", "badpassword");
    const shell = await openShell(client);
    const { exitCode } = await shell.closed();
    assert.equal(shell.received().toString("latin1"), "This session is very simple.  Goodbye, bob!\r\n");
    assert.equal(exitCode, 0);
    client.end();
  }],
  [4, "04-pty", "report window-change; any key ends it", async (server) => {
    const client = await logIn(server.port);
    const shell = await openShell(client, XTERM);
    await shell.waitFor("80 columns wide and 24 rows tall.\r\n");
    shell.channel.setWindow(30, 100, 0, 0);
    await shell.waitFor("Your terminal is now 100 columns wide and 30 rows tall.\r\n");
    shell.channel.write("q");
    assert.equal((await shell.closed()).exitCode, 0);
    client.end();
  }],
  [5, "05-input", "echo whole lines", async (server) => {
    const client = await logIn(server.port);
    const shell = await openShell(client, XTERM);
    shell.channel.write("hel");
    shell.channel.write("lo\rit's");
    shell.channel.write("\r");
    await shell.waitFor(`echo: "it's"\r\n`);
    assert.equal(shell.received().toString("latin1"), `echo: 'hello'\r\necho: "it's"\r\n`);
    client.end();
  }],
  [6, "06-eof", "count the bytes before EOF", async (server) => {
    const client = await logIn(server.port);
    const shell = await openShell(client);
    shell.channel.end("line one\nline two\n");
    const { exitCode } = await shell.closed();
    assert.match(shell.received().toString("latin1"), /\r\neof received after 18 bytes\r\n$/);
    assert.equal(exitCode, 0);
    client.end();
  }],
  [7, "07-protocols", "a running total; q hangs up", async (server) => {
    const client = await logIn(server.port);
    const shell = await openShell(client, XTERM);
    shell.channel.write("abc");
    await shell.waitFor("total: 3 bytes\r\n");
    shell.channel.write("de");
    await shell.waitFor("total: 5 bytes\r\n");
    shell.channel.write("q");
    assert.equal((await shell.closed()).exitCode, 0);
    assert.equal(shell.received().toString("latin1"), "total: 3 bytes\r\ntotal: 5 bytes\r\n");
    client.end();
  }],
];

const chosen = process.env.EXERCISE === undefined ? undefined : Number(process.env.EXERCISE);
const yours = process.env.EXERCISE_FILE;
if (yours !== undefined && chosen === undefined) throw new Error("EXERCISE_FILE needs EXERCISE=<lesson number> too");

for (const [number, file, what, check] of EXERCISES) {
  const path = yours !== undefined && chosen === number ? resolve(yours) : resolve(ROOT, "lessons", "solutions", `${file}.ts`);
  test(`exercise ${number}: ${what} (${yours !== undefined && chosen === number ? yours : `solutions/${file}.ts`})`, {
    skip: chosen !== undefined && chosen !== number,
  }, async () => {
    const [lesson, makeProtocol] = await lessonFrom(path, number);
    const server = await serveInProcess(lesson, { makeProtocol });
    try {
      await check(server);
    } finally {
      await server.close();
    }
  });
}
