/**
 * Lesson 5: "Twisted Conch in 60 Seconds: Accepting Input" (2011-04-19)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-accepting-input.html
 *
 * New here: input. Whatever the client sends on the channel arrives as chunks of bytes
 * (the article's `dataReceived`), and each chunk is echoed back as Python's repr of it:
 * `echo: 'h'`. The pty and shell are accepted as in lesson 4, and there is no banner.
 *
 * Because the pty is granted, your terminal is in raw mode: each key goes out as you press
 * it, with no local echo. Enter is '\r', Ctrl-C is '\x03' and Ctrl-D is '\x04': here they are
 * just bytes, so nothing ends the session. A paste arrives as one chunk (or a few), because
 * a byte stream keeps no message boundaries. Leave with the ssh escape: Enter, then `~.`.
 * End of input is not handled yet: that is lesson 6.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson input
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * Type h, Enter, Ctrl-C, an arrow key, paste "it's" or "ü", then Enter ~. to leave.
 */
import type { ServerChannel } from "ssh2";
import type { Buffer } from "node:buffer";
import { password } from "./02-password.ts";
import { acceptShells } from "./04-pty.ts";
import type { Lesson } from "./shared/lesson.ts";
import { repr } from "./shared/repr.ts";
import { send } from "./shared/send.ts";

/**
 * Echoes every chunk the client sends as `echo: <repr>` (the article's `dataReceived`).
 * `send` is `channel.write` that also stops reading while the client is not reading.
 */
export function echoInput(channel: ServerChannel): void {
  channel.on("data", (bytes: Buffer) => {
    send(channel, `echo: ${repr(bytes)}\r\n`);
  });
}

export const input: Lesson = {
  number: 5,
  slug: "input",
  title: "Twisted Conch in 60 Seconds: Accepting Input",
  date: "2011-04-19",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-accepting-input.html",
  login: "password",
  tryThis: "type, paste, press Ctrl-C and Ctrl-D: each chunk comes back as echo: '...'; leave with Enter ~.",

  serve(client, context) {
    password.serve(client, context); // log in as in lesson 2
    acceptShells(client, echoInput); // accept pty and shell as in lesson 4
  },
};

/*
 * Exercise 5. Echo whole lines instead of chunks: keep the input until Enter ('\r') and send
 * `echo: 'hello'` for the line.
 *
 * Copy this file to lessons/my-input.ts, change it there, and check it:
 *   npm run exercise 5 lessons/my-input.ts
 * (One solution is in lessons/solutions/.)
 */
