/** Lesson 2: password logins from keys/ssh-passwords; no session channel yet. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { logIn, openShell, tryLogIn } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson password and against the lesson's own file.
for (const way of bothWays(2, "password")) {
  describe(way.how, () => {
    let server: LessonProcess;
    before(async () => (server = await way.start()));
    after(() => server.stop());

    test("the three demo users log in with their passwords", async () => {
      for (const [user, password] of [["alice", "goodpassword"], ["bob", "badpassword"], ["jpcalderone", "supersecretpassword"]]) {
        const client = await logIn(server.port, user, password);
        client.end();
      }
    });

    test("a wrong password is refused, and only the password method is offered", async () => {
      const result = await tryLogIn(server.port, "alice", "badpassword");
      assert.equal(result.client, undefined);
      assert.deepEqual(result.methodsOffered, [["password"], ["password"]]);
    });

    test("an unknown user is refused, whatever the password", async () => {
      const result = await tryLogIn(server.port, "mallory", "goodpassword");
      assert.equal(result.client, undefined);
    });

    test("a refused login is logged with the user name, never the password", async () => {
      await tryLogIn(server.port, "carol", "hunter2-secret");
      await server.stderr.waitFor(/login refused for "carol"/);
      assert.ok(!server.stderr.text.includes("hunter2-secret"));
      assert.ok(!server.stderr.text.includes("goodpassword"));
    });

    test("after a good login, the session channel is refused", async () => {
      const client = await logIn(server.port);
      // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED is reason 1 (RFC 4254, section 5.1).
      await assert.rejects(openShell(client), (error: Error & { reason?: number }) => {
        assert.match(error.message, /Channel open failure/);
        assert.equal(error.reason, 1);
        return true;
      });
      client.end();
    });
  });
}
