/** Lesson 1: a server with a host key and no way to log in. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bothWays, type LessonProcess } from "./helpers/lesson-process.ts";
import { tryLogIn } from "./helpers/ssh-client.ts";

// The same checks against tutorial.ts --lesson introduction and against the lesson's own file.
for (const way of bothWays(1, "introduction")) {
  describe(way.how, () => {
    let server: LessonProcess;
    before(async () => (server = await way.start()));
    after(() => server.stop());

    test("offers no authentication method, so every login fails", async () => {
      const result = await tryLogIn(server.port);
      assert.equal(result.client, undefined);
      assert.match(String(result.error), /All configured authentication methods failed/);
      assert.ok(result.methodsOffered.length > 0);
      for (const methods of result.methodsOffered) assert.deepEqual(methods, []);
    });

    test("the right password does not help, and the server keeps running", async () => {
      for (const [user, password] of [["alice", "goodpassword"], ["bob", "badpassword"], ["nobody", "x"]]) {
        const result = await tryLogIn(server.port, user, password);
        assert.equal(result.client, undefined, `${user} must not get in`);
      }
      const again = await tryLogIn(server.port);
      assert.deepEqual(again.methodsOffered[0], []);
    });
  });
}
