/**
 * Exercise 4, solved: report each window-change, until the client presses a key.
 * Check your own: npm run exercise 4 lessons/my-pty.ts
 */
import { password } from "../02-password.ts";
import { endSession } from "../03-channel.ts";
import { acceptShells, describeTerminal, pty } from "../04-pty.ts";
import type { Lesson } from "../shared/lesson.ts";

export const solution: Lesson = {
  ...pty,
  serve(client, context) {
    password.serve(client, context);
    acceptShells(client, (channel, terminal, session) => {
      channel.write(describeTerminal(terminal));
      session.on("window-change", (accept, _reject, size) => {
        channel.write(`Your terminal is now ${size.cols} columns wide and ${size.rows} rows tall.\r\n`);
        accept?.();
      });
      channel.once("data", () => endSession(channel)); // any key ends it
    });
  },
};
