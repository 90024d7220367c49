/**
 * lessons/server/ssh2-hooks.ts is the one module that reaches into ssh2's (and Node's)
 * objects. Each assumption it makes is checked here against the installed ssh2, with a real
 * client, so that an ssh2 release that changes one fails this test by name, not a lesson
 * somewhere else in silence.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { Socket } from "node:net";
import { test } from "node:test";
import ssh2 from "ssh2";
import type { Connection, ServerChannel } from "ssh2";
import { ALGORITHMS } from "../lessons/server/algorithms.ts";
import {
  afterPendingWrites,
  onAuthentication,
  onDisconnectSent,
  onRequest,
  onSession,
  onShell,
  socketOf,
  watchChannel,
} from "../lessons/server/ssh2-hooks.ts";
import { loadHostKeys } from "../lessons/twisted/keys.ts";
import { ROOT } from "./helpers/lesson-process.ts";
import { eventually, logIn, openShell, tryLogIn } from "./helpers/ssh-client.ts";

const CHANGED = "ssh2's internals changed; lessons/server/ssh2-hooks.ts must follow:";

/** What the hooks saw on the server side. */
interface Seen {
  attempts: string[];
  sessions: number;
  requests: string[];
  received: string[];
  wrote: [string, boolean][];
  exited: (number | string)[];
  sockets: Socket[];
  disconnects: (number | undefined)[];
  /** afterPendingWrites callbacks that came. */
  flushed: number;
}

/** A bare ssh2 server (no lesson, no tutorial) whose handler uses every hook. */
async function hookedServer(seen: Seen): Promise<{ port: number; close(): void }> {
  const [{ key }] = loadHostKeys(join(ROOT, "keys")); // made on the first run if missing
  const server = new ssh2.Server({ hostKeys: [{ key }], algorithms: ALGORITHMS }, (client: Connection) => {
    seen.sockets.push(socketOf(client));
    onDisconnectSent(client, (reason) => seen.disconnects.push(reason));
    client.on("error", () => {});
    onAuthentication(client, (attempt, { accept, reject }) => ({
      accept: () => {
        seen.attempts.push(`accept ${attempt.method} ${attempt.username}`);
        return accept();
      },
      reject: (...methods) => {
        seen.attempts.push(`reject ${attempt.method} ${attempt.username}`);
        return reject(...methods);
      },
    }));
    onSession(client, (session) => {
      seen.sessions += 1;
      onRequest(session, (name, info, answers) => {
        seen.requests.push(name === "pty" ? `pty ${info.term} ${info.cols}x${info.rows}` : name);
        return answers;
      });
      onShell(session, (channel: ServerChannel) =>
        watchChannel(channel, {
          received: (data) => seen.received.push(Buffer.from(data).toString()),
          skip: (data) => String(data) === "skip me",
          wrote: (data, belowLimit) => seen.wrote.push([String(data), belowLimit]),
          exited: (status) => seen.exited.push(status),
        }));
    });
    // The lesson's part: what the hooks wrap.
    client.on("authentication", (attempt) => {
      if (attempt.method === "password" && attempt.password === "goodpassword") return attempt.accept();
      attempt.reject(["password"]);
    });
    client.on("session", (accept) => {
      const session = accept();
      session.on("pty", (acceptPty) => acceptPty?.());
      session.on("shell", (acceptShell) => {
        const channel = acceptShell();
        channel.on("data", (data: Buffer) => {
          channel.write("skip me");
          channel.write(`got ${data}`);
          afterPendingWrites(channel, () => {
            seen.flushed += 1;
            channel.exit(0);
            channel.end();
            client.end(); // the server ends the connection: a DISCONNECT by application (11)
          });
        });
      });
    });
  });
  server.on("connection", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return { port, close: () => server.close() };
}

test("every hook sees what it should, and the answers still reach the client", async () => {
  const seen: Seen = { attempts: [], sessions: 0, requests: [], received: [], wrote: [], exited: [], sockets: [], disconnects: [], flushed: 0 };
  const server = await hookedServer(seen);
  try {
    assert.equal((await tryLogIn(server.port, "alice", "wrong")).client, undefined);
    const client = await logIn(server.port);
    const shell = await openShell(client, { term: "vt100", cols: 90, rows: 30 });
    shell.channel.write("hi");
    assert.equal((await shell.closed()).exitCode, 0);
    assert.equal(shell.received().toString(), "got hi");
    client.end();

    assert.ok(seen.sockets.every((socket) => socket instanceof Socket && socket.remotePort), `${CHANGED} Connection._sock is no longer the TCP socket`);
    assert.deepEqual(seen.attempts.filter((each) => each.includes("password")),
      ["reject password alice", "accept password alice"], `${CHANGED} "authentication" answers (accept/reject) are no longer the AuthContext's own methods`);
    assert.equal(seen.sessions, 1, `${CHANGED} the "session" event no longer hands accept() returning the Session`);
    assert.deepEqual(seen.requests, ["pty vt100 90x30", "shell"], `${CHANGED} session requests no longer arrive as (accept, reject, info) events`);
    await eventually(() => seen.received.length > 0, "the channel's data");
    assert.deepEqual(seen.received, ["hi"], `${CHANGED} a channel's input no longer goes through its push()`);
    assert.deepEqual(seen.wrote, [["got hi", true]], `${CHANGED} channel.write() no longer returns whether the buffer has room`);
    assert.deepEqual(seen.exited, [0], `${CHANGED} channel.exit() is gone or renamed`);
    await eventually(() => seen.disconnects.length > 0, "the server's DISCONNECT");
    assert.deepEqual(seen.disconnects, [11], `${CHANGED} Connection._protocol.disconnect(reason) no longer sends the DISCONNECT`);
    assert.equal(seen.flushed, 1, `${CHANGED} an empty write's callback (afterPendingWrites) no longer comes once the writes before it have gone out`);
  } finally {
    server.close();
  }
});
