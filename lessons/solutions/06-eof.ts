/**
 * Exercise 6, solved: say how many bytes came in before the EOF.
 * Check your own: npm run exercise 6 lessons/my-eof.ts
 */
import { password } from "../02-password.ts";
import { endSession } from "../03-channel.ts";
import { acceptShells } from "../04-pty.ts";
import { echoInput } from "../05-input.ts";
import { eof, onEof } from "../06-eof.ts";
import type { Lesson } from "../shared/lesson.ts";

export const solution: Lesson = {
  ...eof,
  serve(client, context) {
    password.serve(client, context);
    acceptShells(client, (channel, _terminal, session) => {
      let received = 0;
      channel.on("data", (bytes: Uint8Array) => (received += bytes.length));
      echoInput(channel);
      onEof(channel, session, () => {
        channel.write(`eof received after ${received} bytes\r\n`);
        endSession(channel);
      });
      channel.on("close", () => console.log("Channel closed"));
    });
  },
};
