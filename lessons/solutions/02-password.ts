/**
 * Exercise 2, solved: bob gets in with any password; everyone else only with their own.
 * Check your own: npm run exercise 2 lessons/my-password.ts
 */
import { password } from "../02-password.ts";
import type { Lesson } from "../shared/lesson.ts";

export const solution: Lesson = {
  ...password,
  serve(client, { passwords }) {
    client.on("authentication", (attempt) => {
      if (attempt.method === "password") {
        if (attempt.username === "bob" || passwords.check(attempt.username, attempt.password)) {
          return attempt.accept();
        }
      }
      attempt.reject(["password"]);
    });
  },
};
