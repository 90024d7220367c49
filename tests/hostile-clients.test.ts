/**
 * Clients that misbehave, against lesson 7's server process. After each one: the server is
 * still up, a normal session gets the exact banner and echo, and nothing that should be
 * refused succeeded.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import { after, before, test } from "node:test";
import { type LessonProcess, startLesson } from "./helpers/lesson-process.ts";
import { RawSocket } from "./helpers/raw-socket.ts";
import { echoSessionWorks, logIn, openShell, tryLogIn, within } from "./helpers/ssh-client.ts";

let server: LessonProcess;
before(async () => {
  server = await startLesson("protocols", ["--login-grace", "2"]);
});
after(() => server.stop());

/** Runs an attack, then proves the server still serves. */
function attack(name: string, run: () => Promise<void>) {
  test(name, async () => {
    await run();
    await echoSessionWorks(server.port);
  });
}

/** Waits for a stderr line of the server's log matching `pattern`. */
const logged = (pattern: RegExp) => server.stderr.waitFor(pattern, 1, "stderr");

/** An SSH binary packet (unencrypted, before key exchange) around `payload`. */
function packet(payload: Buffer): Buffer {
  const padding = 8 - ((5 + payload.length) % 8) + 8;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + padding, 0);
  head[4] = padding;
  return Buffer.concat([head, payload, Buffer.alloc(padding)]);
}

attack("garbage instead of the SSH version line", async () => {
  const raw = await RawSocket.connect(server.port);
  raw.socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(20));
  await raw.closed();
});

attack("an oversized packet", async () => {
  const raw = await RawSocket.connect(server.port);
  await raw.versionLine();
  raw.socket.write("SSH-2.0-hostile\r\n");
  raw.socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xf0, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0]));
  await raw.closed();
});

attack("a malformed packet", async () => {
  const raw = await RawSocket.connect(server.port);
  await raw.versionLine();
  raw.socket.write("SSH-2.0-hostile\r\n");
  raw.socket.write(packet(Buffer.from([20, 1, 2, 3]))); // a KEXINIT cut short
  await raw.closed();
});

attack("a reset (ECONNRESET) during the key exchange", async () => {
  const raw = await RawSocket.connect(server.port);
  await raw.versionLine();
  raw.socket.write("SSH-2.0-hostile\r\n");
  raw.socket.resetAndDestroy();
});

attack("a disconnect during authentication", async () => {
  const { Client } = ssh2;
  const client = new Client();
  await within(
    new Promise<void>((resolve) => {
      client.on("error", () => {});
      client.on("close", () => resolve());
      // The first thing the server asks for is a login method: hang up instead.
      client.connect({
        host: "127.0.0.1",
        port: server.port,
        username: "alice",
        authHandler: (_methods, _partial, _next) => {
          client.destroy(); // and never answer
        },
      });
    }),
    "the client hanging up during the login",
  );
});

attack("a disconnect while the server is still sending", async () => {
  const client = await logIn(server.port);
  const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
  await shell.waitFor("Echo protocol connected\r\n");
  shell.channel.write(Buffer.alloc(1 << 20, 0xff)); // a 4 MB echo on its way back
  client.destroy();
  await server.waitForLine(/^Connection lost /);
});

attack("a second shell request on the same channel", async () => {
  const client = await logIn(server.port);
  const shell = await openShell(client);
  await shell.waitFor("Echo protocol connected\r\n");
  const channel = shell.channel as unknown as {
    outgoing: { id: number };
    _client: { _protocol: { shell(id: number, wantReply: boolean): void } };
  };
  channel._client._protocol.shell(channel.outgoing.id, true);
  shell.channel.write("x");
  await shell.waitFor("echo: 'x'\r\n"); // the first shell goes on, with one banner
  assert.equal(shell.received().toString("latin1").split("Echo protocol connected").length, 2);
  client.end();
});

test("what no lesson offers is refused, with one log line each", async (t) => {
  const client = await logIn(server.port);
  const refusals: [string, (done: (error?: Error) => void) => void, RegExp][] = [
    ["exec", (done) => client.exec("id", (error) => done(error)), /refused exec "id"/],
    ["sftp", (done) => client.sftp((error) => done(error)), /refused subsystem sftp/],
    ["another subsystem", (done) => client.subsys("netconf", (error) => done(error)), /refused subsystem netconf/],
    ["direct-tcpip", (done) => client.forwardOut("127.0.0.1", 1, "127.0.0.1", 22, (error) => done(error)),
      /refused port forwarding \(direct-tcpip\) to 127\.0\.0\.1:22/],
    ["tcpip-forward", (done) => client.forwardIn("127.0.0.1", 0, (error) => done(error)), /refused global request tcpip-forward/],
    ["streamlocal", (done) => client.openssh_forwardOutStreamLocal("/run/docker.sock", (error) => done(error)),
      /refused Unix socket forwarding to \/run\/docker\.sock/],
    ["x11", (done) => client.shell(false as never, { x11: true }, (error) => done(error)), /refused X11 forwarding/],
  ];
  for (const [name, request, line] of refusals) {
    await t.test(name, async () => {
      const error = await within(new Promise<Error | undefined>((resolve) => request(resolve)), name);
      assert.ok(error instanceof Error, `${name} must fail`);
      await logged(line);
    });
  }
  client.end();
  await echoSessionWorks(server.port);
});

test("after 6 refused passwords the connection is cut", async () => {
  let tries = 0;
  const ended = await within(
    new Promise<Error>((resolve) => {
      const { Client } = ssh2;
      const client = new Client();
      client.on("error", resolve);
      client.on("close", () => resolve(new Error("closed")));
      client.connect({
        host: "127.0.0.1",
        port: server.port,
        username: "mallory",
        authHandler: (_methods, _partial, next) => {
          tries += 1;
          next(tries > 20 ? (false as never) : { type: "password", username: "mallory", password: `guess${tries}` });
        },
      });
    }),
    "the server cutting a guesser off",
  );
  assert.ok(ended);
  assert.ok(tries <= 7, `cut off after ${tries} tries`);
  await logged(/password login refused for "mallory" \(6 of 6\)/);
  await logged(/too many refused logins; disconnecting/);
  assert.doesNotMatch(server.stderr.text, /guess\d/); // passwords are never logged
  await echoSessionWorks(server.port);
});

test("a client that never logs in is cut off after the grace time", async () => {
  const raw = await RawSocket.connect(server.port);
  await raw.versionLine();
  raw.socket.write("SSH-2.0-slowpoke\r\n");
  await raw.closed();
  await logged(/did not log in within 2 s; disconnecting/);
  await echoSessionWorks(server.port);
});

test("beyond 8 connections in the handshake, new ones wait their turn instead of being refused", async () => {
  const crowded = await startLesson("protocols", ["--max-startups", "8"]);
  try {
    // Eight that say their version line and then stall hold every slot.
    const stalled = await Promise.all(Array.from({ length: 8 }, () => RawSocket.connect(crowded.port)));
    for (const raw of stalled) raw.socket.write("SSH-2.0-stalled\r\n");
    await Promise.all(stalled.map((raw) => raw.versionLine()));
    const waiting = await RawSocket.connect(crowded.port);
    waiting.socket.write("SSH-2.0-patient\r\n");
    await crowded.stderr.waitFor(/connections are waiting their turn \(8 of 8 handshake slots in use\)/);
    assert.equal(waiting.received.length, 0, "no SSH before its turn");
    stalled[0].socket.destroy();
    assert.match(await waiting.versionLine(), /^SSH-2\.0-/); // its turn came
    for (const raw of [...stalled, waiting]) raw.socket.destroy();
    // Each goes with one line; under Deno a destroyed socket may reach ssh2 as a reset (its error line).
    await crowded.stderr.waitFor(/left without logging in|read ECONNRESET$/, 9);
    await echoSessionWorks(crowded.port);
  } finally {
    await crowded.stop();
  }
});

test("silence is not a student: a silent slot holder makes room after 3 s for one that has spoken", async () => {
  // Two slots: a silent socket may hold one of them (half), a stalled client the other.
  const crowded = await startLesson("protocols", ["--max-startups", "2"]);
  try {
    const silent = await RawSocket.connect(crowded.port);
    await silent.versionLine(); // it got a slot, and says nothing back
    const stalled = await RawSocket.connect(crowded.port);
    stalled.socket.write("SSH-2.0-stalled\r\n");
    await stalled.versionLine();
    await echoSessionWorks(crowded.port); // waits until the silent one is sent away
    await crowded.stderr.waitFor(/sent nothing for 3 s while others waited; disconnected to make room/);
    await silent.closed();
    assert.ok(!stalled.socket.destroyed, "the stalled one has spoken: the login grace bounds it, not this rule");
    stalled.socket.destroy();
  } finally {
    await crowded.stop();
  }
});

test("a refused password costs the delay (here 0.3 s)", async () => {
  const slow = await startLesson("protocols", ["--password-delay", "0.3"]);
  try {
    const started = performance.now();
    const result = await tryLogIn(slow.port, "alice", "wrong");
    assert.equal(result.client, undefined);
    assert.ok(performance.now() - started >= 290, "the refusal came before the delay");
  } finally {
    await slow.stop();
  }
});
