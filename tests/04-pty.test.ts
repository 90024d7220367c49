/** Lesson 4: the pty request is accepted and the shell describes the terminal. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson pty and against the lesson's own file.
for (const way of bothWays(4, "pty")) {
  describe(way.how, () => {
    let server: LessonProcess;
    before(async () => (server = await way.start()));
    after(() => server.stop());

    async function shellOutput(pty: { term: string; cols: number; rows: number } | false) {
      const client = await logIn(server.port);
      const shell = await openShell(client, pty);
      const { exitCode } = await shell.closed();
      client.end();
      return { text: shell.received().toString("latin1"), exitCode };
    }

    test("an 80x24 xterm: name and size, columns first", async () => {
      assert.deepEqual(await shellOutput({ term: "xterm", cols: 80, rows: 24 }), {
        text: "Your terminal name is 'xterm'.  Your terminal is 80 columns wide and 24 rows tall.\r\n",
        exitCode: 0,
      });
    });

    test("a 132x40 vt100", async () => {
      assert.deepEqual(await shellOutput({ term: "vt100", cols: 132, rows: 40 }), {
        text: "Your terminal name is 'vt100'.  Your terminal is 132 columns wide and 40 rows tall.\r\n",
        exitCode: 0,
      });
    });

    test("no pty request: the shell says there is no terminal", async () => {
      const { text, exitCode } = await shellOutput(false);
      assert.match(text, /^You asked for no terminal.*\r\n$/);
      assert.equal(exitCode, 0);
    });
  });
}
