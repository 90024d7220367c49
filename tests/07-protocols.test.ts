/** Lesson 7: the EchoProtocol through the adapter; connectionLost exactly once. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson protocols and against the lesson's own file.
for (const way of bothWays(7, "protocols")) {
  describe(way.how, () => {
    let server: LessonProcess;
    let sessions = 0; // sessions that have ended so far
    const LOST = /^Connection lost /;
    before(async () => (server = await way.start()));
    after(() => server.stop());

    test("in a pty: the banner, then the echoes", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
      await shell.waitFor("Echo protocol connected\r\n");
      for (const [typed, echoed] of [["h", "echo: 'h'\r\n"], ["\r", "echo: '\\r'\r\n"], ["\x04", "echo: '\\x04'\r\n"]]) {
        const from = shell.received().length;
        shell.channel.write(typed);
        await shell.waitFor(echoed, from);
      }
      assert.equal(
        shell.received().toString("latin1"),
        "Echo protocol connected\r\necho: 'h'\r\necho: '\\r'\r\necho: '\\x04'\r\n",
      );
      client.end();
      await server.waitForLine(LOST, ++sessions);
    });

    test("client EOF ends the session with exit-status 0, and the reason is clean", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client);
      shell.channel.end("hello\n");
      const { exitCode } = await shell.closed();
      assert.equal(shell.received().toString("latin1"), "Echo protocol connected\r\necho: 'hello\\n'\r\n");
      assert.equal(exitCode, 0);
      await server.waitForLine(LOST, ++sessions);
      assert.equal(server.stdout.lines.filter((line) => LOST.test(line)).at(-1),
        "Connection lost ConnectionDone: Connection was closed cleanly.");
      client.end();
    });

    test("the client closes the channel itself", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client);
      await shell.waitFor("Echo protocol connected\r\n");
      shell.channel.close();
      await shell.closed();
      await server.waitForLine(LOST, ++sessions);
      client.end();
    });

    test("the connection is cut", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
      await shell.waitFor("Echo protocol connected\r\n");
      client.destroy();
      await server.waitForLine(LOST, ++sessions);
    });

    test("Connection lost was printed exactly once per session", async () => {
      // One more whole session as a barrier: every earlier session has ended by now.
      const shell = await openShell(await logIn(server.port));
      shell.channel.end();
      await shell.closed();
      await server.waitForLine(LOST, ++sessions);
      assert.equal(server.stdout.count(LOST), sessions);
    });
  });
}
