/**
 * The exercises on lesson 1 (lessons/01-introduction.ts): what a server that lets nobody in
 * still sees, and what it tells the client.
 * @module
 */
import { Failure, tryLogIn } from "./client.ts";
import type { Exercise } from "./exercise.ts";

export const exercises: Exercise[] = [
  {
    id: "1.1",
    lesson: "01-introduction.ts",
    file: "1.1-log-attempts.ts",
    title: "Log every login attempt",
    task: `Log every login attempt before refusing it, one line each:
  login attempt: <method> by <user>
Nobody gets in, as before. Then run it and connect: which methods does ssh try?`,
    hints: [
      "Each attempt is one \"authentication\" event on the connection; `attempt` has `method` and `username`.",
      "The handler gets a Context too (it is `_context` now: drop the underscore). `context.log(text)` writes a line to the server's log.",
      'Inside the "authentication" listener, before `attempt.reject([])`: context.log(`login attempt: ${attempt.method} by ${attempt.username}`);',
    ],
    untouched: "the server's log has no line ending with \"login attempt: none by",
    async check(server) {
      const [someone] = server.users;
      const { client } = await tryLogIn(server.port, someone);
      if (client) {
        client.end();
        throw new Failure(`${someone.user} got in; in this lesson nobody may (keep attempt.reject([]))`);
      }
      for (const method of ["none", "password"]) {
        const line = `login attempt: ${method} by ${someone.user}`;
        if (!server.log.some((logged) => logged.endsWith(line))) {
          throw new Failure(`the server's log has no line ending with ${JSON.stringify(line)}: ` +
            "log each attempt with context.log(...) before refusing it");
        }
      }
    },
  },
  {
    id: "1.2",
    lesson: "01-introduction.ts",
    file: "1.2-offer-password.ts",
    title: "Offer the password method",
    task: `Still let nobody in, but tell the client that "password" is the method to go on with,
so that ssh ends with "Permission denied (password)." instead of "Permission denied ()."`,
    hints: [
      "The list the server sends back with each refusal is the methods that \"can continue\" (RFC 4252 §5.1).",
      "`attempt.reject(methods)` takes that list; the lesson passes an empty one.",
      'attempt.reject(["password"]) (and no accept anywhere).',
    ],
    untouched: "after refusing the \"none\" attempt the server offered []",
    async check(server) {
      const [someone] = server.users;
      const { client, offered } = await tryLogIn(server.port, someone);
      if (client) {
        client.end();
        throw new Failure(`${someone.user} got in with the right password; in this lesson nobody may`);
      }
      const first = JSON.stringify(offered[0] ?? null);
      if (first !== '["password"]') {
        throw new Failure(`after refusing the "none" attempt the server offered ${first}; it should offer ["password"], ` +
          "the methods that can continue");
      }
    },
  },
];
