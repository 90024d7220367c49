/** Lesson 5: each chunk of input is echoed as Python's repr. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { logIn, openShell } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson input and against the lesson's own file.
for (const way of bothWays(5, "input")) {
  describe(way.how, () => {
    let server: LessonProcess;
    before(async () => (server = await way.start()));
    after(() => server.stop());

    // What a student types, and the line the article's server sends back for it.
    const EXCHANGES: [string, string][] = [
      ["h", "echo: 'h'\r\n"],
      ["\r", "echo: '\\r'\r\n"],
      ["it's", `echo: "it's"\r\n`],
      ["\x03", "echo: '\\x03'\r\n"],
      ["both ' and \"", "echo: 'both \\' and \"'\r\n"],
      ["ü", "echo: '\\xc3\\xbc'\r\n"],
      ["\x1b[A", "echo: '\\x1b[A'\r\n"],
      ["\x04", "echo: '\\x04'\r\n"],
      ["hello, world.", "echo: 'hello, world.'\r\n"],
    ];

    test("in a pty, every chunk comes back as echo: <repr>, with no banner", async () => {
      const client = await logIn(server.port);
      const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
      let expected = "";
      for (const [typed, echoed] of EXCHANGES) {
        const from = shell.received().length;
        shell.channel.write(typed);
        await shell.waitFor(echoed, from);
        expected += echoed;
      }
      // Ctrl-C and Ctrl-D were only bytes: the session is still open and nothing else was sent.
      assert.equal(shell.received().toString("latin1"), expected);
      client.end();
    });
  });
}
