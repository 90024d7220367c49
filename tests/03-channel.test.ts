/** Lesson 3: a session channel that refuses the pty and says goodbye on shell. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson channel and against the lesson's own file.
for (const way of bothWays(3, "channel")) {
  describe(way.how, () => {
    let server: LessonProcess;
    before(async () => (server = await way.start()));
    after(() => server.stop());

    test("the shell writes the goodbye line, then ends with exit-status 0", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client);
      const { exitCode } = await shell.closed();
      assert.equal(shell.received().toString("latin1"), "This session is very simple.  Goodbye!\r\n");
      assert.equal(exitCode, 0);
      client.end();
    });

    test("a pty request is refused", async () => {
      const client = await logIn(server.port);
      await assert.rejects(openShell(client, { term: "xterm", cols: 80, rows: 24 }), /pseudo-terminal/);
      client.end();
    });
  });
}
