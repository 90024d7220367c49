/** Lesson 6: EOF is answered and ends the session; every close prints "Channel closed". */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson eof and against the lesson's own file.
for (const way of bothWays(6, "eof")) {
  describe(way.how, () => {
    let server: LessonProcess;
    let closes = 0; // how many "Channel closed" lines the server must have printed so far
    before(async () => (server = await way.start()));
    after(() => server.stop());

    test("client EOF: the echo, then eof received, then exit-status 0 and close", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client);
      shell.channel.end("line one\nline two\n");
      const { exitCode } = await shell.closed();
      assert.equal(shell.received().toString("latin1"), "echo: 'line one\\nline two\\n'\r\neof received\r\n");
      assert.equal(exitCode, 0);
      await server.waitForLine(/^Channel closed$/, ++closes);
      client.end();
    });

    test("the client disconnects without EOF: Channel closed", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
      shell.channel.write("abc");
      await shell.waitFor("echo: 'abc'\r\n");
      client.end();
      await server.waitForLine(/^Channel closed$/, ++closes);
    });

    test("the connection drops: Channel closed, exactly once per session", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client);
      shell.channel.write("x");
      await shell.waitFor("echo: 'x'\r\n");
      client.destroy();
      await server.waitForLine(/^Channel closed$/, ++closes);
      // One more whole session as a barrier: afterwards the count must be exact.
      const last = await openShell(await logIn(server.port));
      last.channel.end();
      await last.closed();
      await server.waitForLine(/^Channel closed$/, ++closes);
      assert.equal(server.stdout.count(/^Channel closed$/), closes);
    });
  });
}
