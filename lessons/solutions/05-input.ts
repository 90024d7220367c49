/**
 * Exercise 5, solved: echo whole lines. Input is kept until Enter ('\r'), then the line
 * comes back as one `echo: <repr>`.
 * Check your own: npm run exercise 5 lessons/my-input.ts
 */
import { Buffer } from "node:buffer";
import { password } from "../02-password.ts";
import { acceptShells } from "../04-pty.ts";
import { input } from "../05-input.ts";
import type { Lesson } from "../shared/lesson.ts";
import { repr } from "../shared/repr.ts";

export const solution: Lesson = {
  ...input,
  serve(client, context) {
    password.serve(client, context);
    acceptShells(client, (channel) => {
      let line = Buffer.alloc(0);
      channel.on("data", (bytes: Buffer) => {
        line = Buffer.concat([line, bytes]);
        let enter: number;
        while ((enter = line.indexOf(0x0d)) !== -1) {
          channel.write(`echo: ${repr(line.subarray(0, enter))}\r\n`);
          line = line.subarray(enter + 1);
        }
      });
    });
  },
};
