/**
 * Exercise 1, solved: log every login attempt (method and user) before refusing it.
 * Check your own: npm run exercise 1 lessons/my-introduction.ts
 */
import { introduction } from "../01-introduction.ts";
import type { Lesson } from "../shared/lesson.ts";

export const solution: Lesson = {
  ...introduction,
  serve(client, { log }) {
    client.on("authentication", (attempt) => {
      log(`login attempt: ${attempt.method} by ${attempt.username}`);
      attempt.reject([]);
    });
  },
};
