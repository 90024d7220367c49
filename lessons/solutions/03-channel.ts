/**
 * Exercise 3, solved: say goodbye by name.
 * Check your own: npm run exercise 3 lessons/my-channel.ts
 */
import { password } from "../02-password.ts";
import { channel, endSession } from "../03-channel.ts";
import type { Lesson } from "../shared/lesson.ts";

export const solution: Lesson = {
  ...channel,
  serve(client, context) {
    password.serve(client, context);
    client.on("session", (acceptSession) => {
      const session = acceptSession();
      session.on("pty", (_accept, reject) => reject?.());
      session.on("shell", (acceptShell) => {
        const shell = acceptShell();
        if (!shell) return;
        // context.user is the login name, known once the client has logged in.
        shell.write(`This session is very simple.  Goodbye, ${context.user}!\r\n`);
        endSession(shell);
      });
    });
  },
};
