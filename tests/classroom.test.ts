/**
 * A classroom of 200 (issue 13): nobody is turned away, nobody can lock the room, everyone
 * has their own name. Against lesson 7's server process, on loopback; every wait is bounded,
 * and no assertion depends on speed except where the mechanism makes the bound far away.
 */
import assert from "node:assert/strict";
import type { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import ssh2 from "ssh2";
import type { ClientChannel } from "ssh2";
import { SILENCE_MS } from "../lessons/server/admission.ts";
import { protocols, QuietEcho, serveInProcess } from "./helpers/in-process.ts";
import { inParallel } from "../bench/load.ts";
import { startLesson, TIMEOUT_MS } from "./helpers/lesson-process.ts";
import { RawSocket } from "./helpers/raw-socket.ts";
import { echoSessionWorks, eventually, logIn, openShell, tryLogIn, within } from "./helpers/ssh-client.ts";

type Client = InstanceType<typeof ssh2.Client>;
const XTERM = { term: "xterm", cols: 80, rows: 24 };
const WORD = "tulip";

/**
 * How many files this process may open (Linux: /proc; elsewhere unknown). Node and Deno raise
 * their soft limit to the hard one at start, so that is the one that counts.
 */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((each) => each.startsWith("Max open files"));
    const soft = line?.split(/\s+/)[3];
    return soft === undefined || soft === "unlimited" ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}
const limit = openFileLimit();
const fewFiles = (needed: number) =>
  limit !== undefined && limit < needed ? `needs ${needed} open files, and ulimit -n is ${limit} here` : false;

test("200 connecting at the same moment all get the banner", { skip: fewFiles(600) }, async () => {
  const server = await startLesson("protocols");
  const clients: Client[] = [];
  try {
    const served = await Promise.all(Array.from({ length: 200 }, async () => {
      const client = await logIn(server.port);
      clients.push(client);
      const shell = await openShell(client, XTERM);
      await shell.waitFor("Echo protocol connected\r\n");
      return true;
    }));
    assert.equal(served.length, 200);
    assert.doesNotMatch(server.stderr.text, /turned away|disconnected to make room/);
  } finally {
    for (const client of clients) client.end();
    await server.stop();
  }
});

test("with 300 silent sockets open, a real session logs in at once", { skip: fewFiles(800) }, async () => {
  const server = await startLesson("protocols");
  const silent: RawSocket[] = [];
  try {
    for (let i = 0; i < 300; i += 50) {
      silent.push(...await Promise.all(Array.from({ length: 50 }, () => RawSocket.connect(server.port))));
    }
    // Half the handshake slots are theirs; the rest wait, and so would a real client, were
    // the silent allowed every slot.
    await server.stderr.waitFor(/connections are waiting their turn \(32 of 64 handshake slots in use\)/);
    const started = performance.now();
    await echoSessionWorks(server.port);
    const ms = performance.now() - started;
    // Within the 2 s, which is sooner than any silent socket could have been sent away
    // (SILENCE_MS): without the slots kept for clients that speak, this takes 3 s or more.
    assert.ok(ms < Math.min(2000, SILENCE_MS), `logging in took ${ms.toFixed(0)} ms`);
    assert.equal(silent.filter((raw) => raw.socket.destroyed).length, 0, "no silent socket had to go");
  } finally {
    for (const raw of silent) raw.socket.destroy();
    await server.stop();
  }
});

test("when the queue is full and none of it has been silent for 3 s, a newcomer is turned away", async () => {
  // One slot, so at most 16 connections not logged in: one in the slot, fifteen waiting.
  const server = await serveInProcess(protocols, { limits: { maxStartups: 1 }, makeProtocol: () => new QuietEcho() });
  const speakers: RawSocket[] = [];
  try {
    for (let i = 0; i < 16; i++) {
      const raw = await RawSocket.connect(server.port);
      raw.socket.write("SSH-2.0-speaker\r\n");
      speakers.push(raw);
    }
    await eventually(() => server.admission.counts.waitingSpoke === 15, "fifteen who have spoken waiting");
    const newcomer = await RawSocket.connect(server.port).catch(() => undefined);
    await newcomer?.closed();
    assert.equal(newcomer?.received.length ?? 0, 0, "not even the SSH version line");
    assert.ok(server.log.some((line) => /turned away: 16 connections are not logged in yet, none of them silent for 3 s/.test(line)));
  } finally {
    for (const raw of speakers) raw.socket.destroy();
    await server.close();
  }
});

test("when the queue is full, the waiting socket silent longest (3 s or more) makes room", async () => {
  // One slot, so at most 16 connections not logged in.
  const server = await serveInProcess(protocols, { limits: { maxStartups: 1 }, makeProtocol: () => new QuietEcho() });
  const sockets: RawSocket[] = [];
  try {
    // A silent one takes the slot; fourteen more wait, silent too.
    for (let i = 0; i < 15; i++) sockets.push(await RawSocket.connect(server.port));
    await eventually(() => server.admission.counts.waiting === 14, "fourteen waiting");
    // One that speaks waits for the slot: after 3 s of silence its holder goes, and the
    // fourteen waiting have been silent that long too.
    const speaker = await RawSocket.connect(server.port);
    speaker.socket.write("SSH-2.0-speaker\r\n");
    await speaker.versionLine();
    await sockets[0].closed();
    assert.ok(server.log.some((line) => /sent nothing for 3 s while others waited; disconnected to make room/.test(line)));
    sockets.push(await RawSocket.connect(server.port)); // the queue is full: 16
    await eventually(() => server.admission.counts.waiting === 15, "fifteen waiting");
    // The newcomer, a real client: the silent waiter that came first makes room for it...
    const session = echoSessionWorks(server.port);
    const madeRoom = /sent nothing for [3-9]\.\d s while waiting, and the queue is full; disconnected to make room/;
    await eventually(() => server.log.some((line) => madeRoom.test(line)), "a silent waiter making room");
    await sockets[1].closed();
    // ...and once the slot is free, it has spoken, so it goes before the silent ones.
    await eventually(() => server.admission.counts.waitingSpoke === 1, "the newcomer's version line");
    speaker.socket.destroy();
    await session;
    assert.equal(sockets.filter((raw) => raw.socket.destroyed).length, 2, "the two that came first, and no other");
  } finally {
    for (const raw of sockets) raw.socket.destroy();
    await server.close();
  }
});

test("--class-password lets any valid name in; a malformed one is refused with one log line", async () => {
  const server = await startLesson("protocols", ["--class-password", WORD]);
  try {
    assert.match(server.stdout.text, /^Connect: {2}ssh -p \d+ yourname@localhost {4}\(class password: tulip; yourname: letters, digits, _ or -, up to 32\)$/m);
    for (const name of ["maria", "Jo_2-b"]) {
      const client = await logIn(server.port, name, WORD);
      await server.stderr.waitFor(new RegExp(`${name} logged in with password`), 1, "stderr");
      client.end();
    }
    const alice = await logIn(server.port, "alice", "goodpassword"); // the file's users still log in
    alice.end();
    for (const [name, password] of [["no body", WORD], ["x".repeat(33), WORD], ["maría", WORD], ["maria", "wrong"]]) {
      const { client } = await tryLogIn(server.port, name, password);
      assert.equal(client, undefined, `${name} with ${password}`);
    }
    await server.stderr.waitFor(/password login refused for "no body" \(1 of 6\): not a valid login name \(letters, digits, _ or -, up to 32\)$/, 1, "stderr");
    // The last attempt's line, then the counts: log lines reach us a little after the client's answer.
    await server.stderr.waitFor(/"maria" \(1 of 6\)$/, 1, "stderr");
    assert.equal(server.stderr.count(/"no body"/), 1, "one line for it");
    assert.equal(server.stderr.count(/"maria" \(1 of 6\)$/), 1, "a valid name with a wrong word: the usual line");
  } finally {
    await server.stop();
  }
});

test("--class-password: lesson 1 still lets nobody in, and says so", async () => {
  const server = await startLesson("introduction", ["--class-password", WORD]);
  try {
    assert.match(server.stdout.text, /\(nobody can log in, not even with the class password: that is the lesson\)/);
    assert.equal((await tryLogIn(server.port, "maria", WORD)).client, undefined);
  } finally {
    await server.stop();
  }
});

/** A chat room member through ssh2's client, reading everything into one string. */
interface Member {
  client: Client;
  channel: ClientChannel;
  text(): string;
  /** Resolves once `pattern` has arrived; rejects after `limitMs` (the tests' limit by default). */
  waitFor(pattern: RegExp | string, limitMs?: number): Promise<void>;
}

async function join(port: number, name: string, window?: number): Promise<Member> {
  const client = await logIn(port, name, WORD);
  if (window !== undefined) {
    // This member's client offers a small window and never opens it further, like a terminal
    // that stopped reading (ssh2's client offers 2 MiB, which the test would have to fill first).
    const protocol = (client as unknown as { _protocol: { session(chan: number, window: number, packet: number): void } })._protocol;
    const session = protocol.session;
    protocol.session = (chan, _window, packet) => session.call(protocol, chan, window, packet);
  }
  const channel = await within(new Promise<ClientChannel>((resolve, reject) =>
    client.shell(XTERM, (error, stream) => (error ? reject(error) : resolve(stream)))), `${name} opening a shell`);
  let text = "";
  const wakers = new Set<() => void>();
  channel.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
    for (const wake of wakers) wake();
  });
  /** Whether `pattern` is in the text after `from` (less the pattern's reach), so a long text is scanned once. */
  const foundAfter = (pattern: RegExp | string, from: number) => {
    const start = Math.max(0, from - 2048);
    return typeof pattern === "string" ? text.includes(pattern, start) : pattern.test(text.slice(start));
  };
  return {
    client,
    channel,
    text: () => text,
    waitFor: (pattern, limitMs = TIMEOUT_MS) =>
      new Promise<void>((resolve, reject) => {
        let from = 0;
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`${name} waiting for ${pattern}: nothing within ${limitMs} ms; got ${JSON.stringify(text.slice(-200))}`));
        }, limitMs);
        const check = () => {
          const found = foundAfter(pattern, from);
          from = text.length;
          if (!found) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        wakers.add(check);
        check();
      }),
  };
}

test("the chat room with 50 members and one that never reads: the others get every line", async () => {
  const server = await startLesson("protocols", ["--protocol", "lessons/protocols/chat-room.ts", "--class-password", WORD]);
  const members: Member[] = [];
  try {
    const slow = await join(server.port, "slow", 8 * 1024);
    members.push(slow);
    await slow.waitFor("Welcome to the chat room, slow.");
    const sender = await join(server.port, "m1");
    members.push(sender);
    await sender.waitFor("Welcome to the chat room, m1.");
    await inParallel(48, 8, async (index) => {
      const member = await join(server.port, `m${index + 2}`);
      members.push(member);
      await member.waitFor(`Welcome to the chat room, m${index + 2}.`);
    });
    const readers = members.slice(2);
    await Promise.all(readers.map((reader) => sender.waitFor(`* ${reader.text().match(/Welcome to the chat room, (m\d+)\./)![1]} joined\r\n`)));

    // 300 lines of 1 KB: more than the slow member's 8 KiB window and the 256 KB the server
    // keeps for a client that does not read. 15 MB in all, through 48 clients in this process
    // and the server on a shared machine: the bound on their arrival is generous.
    const LINES = 300;
    const body = "x".repeat(1000);
    for (let i = 0; i < LINES; i++) sender.channel.write(`line ${i} ${body}\r`);
    await Promise.all(readers.map((reader) => reader.waitFor(`m1: line ${LINES - 1} `, 3 * TIMEOUT_MS)));
    for (const reader of readers) {
      const got = [...reader.text().matchAll(/\[Km1: line (\d+) x{1000}\r\n/g)].map((match) => Number(match[1]));
      assert.deepEqual(got, Array.from({ length: LINES }, (_, i) => i), "every line, once, in order");
    }
    // Joins were announced once each.
    for (let i = 2; i < 50; i++) assert.equal(sender.text().split(`* m${i} joined\r\n`).length, 2, `m${i} joined once`);
    await server.stderr.waitFor(/\[\d+ [\d.:]+\] not reading its output \(\d+ KB waiting\); skipping writes until it catches up/, 1, "stderr");

    // The slow member reads again: what waited arrives, then how much it missed.
    const { outgoing } = slow.channel as unknown as { outgoing: { id: number } };
    (slow.client as unknown as { _protocol: { channelWindowAdjust(id: number, amount: number): void } })._protocol
      .channelWindowAdjust(outgoing.id, 4 * 1024 * 1024);
    await slow.waitFor(/\r\n\* \d+ writes \(\d+ KB\) skipped while you were not reading\r\n/);
    const skipped = Number(/\* (\d+) writes/.exec(slow.text())![1]);
    const shown = [...slow.text().matchAll(/m1: line (\d+) /g)].length;
    assert.equal(shown + skipped, LINES, `${shown} lines shown and ${skipped} skipped`);
    assert.ok(shown * 1000 < 300 * 1024, `at most the server's bound waited for it (${shown} lines)`);
  } finally {
    for (const member of members) member.client.end();
    await server.stop();
  }
});
