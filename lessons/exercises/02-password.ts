/**
 * The exercises on lesson 2 (lessons/02-password.ts): deciding who gets in.
 * @module
 */
import { Failure, tryLogIn } from "./client.ts";
import { randomWord } from "./exercise.ts";
import type { Exercise } from "./exercise.ts";

export const exercises: Exercise[] = [
  {
    id: "2.1",
    lesson: "02-password.ts",
    file: "2.1-bob-gets-in.ts",
    title: "Let bob in with any password",
    task: `Let bob in with any password at all; everyone else only with their own password,
and nobody who is not in keys/ssh-passwords.`,
    hints: [
      "The decision is the `if` in the \"authentication\" listener.",
      "`attempt.username` is who is asking; for bob, don't ask `passwords.check`.",
      'if (attempt.method === "password" && (attempt.username === "bob" || passwords.check(attempt.username, attempt.password))) return attempt.accept();',
    ],
    untouched: "bob was refused with the password",
    async check(server) {
      const password = randomWord();
      const bob = await tryLogIn(server.port, { user: "bob", password });
      if (!bob.client) throw new Failure(`bob was refused with the password ${JSON.stringify(password)}; he should get in with any`);
      bob.client.end();
      const [someone] = server.users;
      const right = await tryLogIn(server.port, someone);
      if (!right.client) throw new Failure(`${someone.user} was refused with their own password ${JSON.stringify(someone.password)}`);
      right.client.end();
      const wrong = await tryLogIn(server.port, { user: someone.user, password: randomWord() });
      if (wrong.client) {
        wrong.client.end();
        throw new Failure(`${someone.user} got in with a wrong password; only bob may`);
      }
      const stranger = await tryLogIn(server.port, { user: randomWord(), password: randomWord() });
      if (stranger.client) {
        stranger.client.end();
        throw new Failure("a user who is not in the password file got in");
      }
    },
  },
  {
    id: "2.2",
    lesson: "02-password.ts",
    file: "2.2-lock-out.ts",
    title: "Lock out after three wrong passwords",
    task: `A user who has given a wrong password three times (over any number of connections) is
locked out: refused even with the right password, until the server restarts. Two wrong
passwords lock nobody out, and other users are not affected.`,
    hints: [
      "The count must outlive a connection: keep it where every connection can see it, e.g. a Map made in makeServer and handed to connectionMade like `passwords`.",
      'Count only refused passwords. OpenSSH (and the check) first asks with method "none" on every connection: that is not a wrong password.',
      "In the listener: if (failures.get(user) ?? 0) >= 3, reject; else if the password is right, accept; else failures.set(user, (failures.get(user) ?? 0) + 1) and reject.",
    ],
    untouched: "got in with the right password after three wrong ones",
    async check(server) {
      const [locked, other] = server.users;
      for (let i = 1; i <= 3; i++) {
        const wrong = await tryLogIn(server.port, { user: locked.user, password: randomWord() });
        if (wrong.client) {
          wrong.client.end();
          throw new Failure(`${locked.user} got in with a wrong password`);
        }
      }
      const after = await tryLogIn(server.port, locked);
      if (after.client) {
        after.client.end();
        throw new Failure(`${locked.user} got in with the right password after three wrong ones; they should be locked out`);
      }
      for (let i = 1; i <= 2; i++) await tryLogIn(server.port, { user: other.user, password: randomWord() });
      const fine = await tryLogIn(server.port, other);
      if (!fine.client) {
        throw new Failure(`${other.user} was refused with the right password after only two wrong ones ` +
          '(or because another user was locked out); count only refused passwords, not the "none" attempts');
      }
      fine.client.end();
    },
  },
];
