/**
 * Lesson 6: "Twisted Conch in 60 Seconds: Detecting EOF on input" (2011-06-13)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-detecting-eof-on-input.html
 *
 * New here: the two ways a session ends. When the client has no more input it sends EOF
 * (the article's `eofReceived`): the server answers "eof received". When the channel is
 * closed, whether by the server, by the client, or because the connection dropped (the
 * article's `closed`), the server prints "Channel closed" on its own stdout.
 *
 * The original only wrote "eof received" and left the channel open, so `ssh ... < file`
 * hung until you killed it. This one ends the session after the reply, with exit-status 0
 * (as in lesson 3), so `ssh` exits 0 by itself. Everything else is lesson 5.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson eof
 *   echo hello | ssh -T -p 2022 alice@localhost
 * (the same in bash, zsh, PowerShell and cmd). You see "echo: 'hello\n'" (Windows ends the
 * line with '\r\n'), then "eof received", and the exit status is 0 (`echo $?` in bash and zsh,
 * `$LASTEXITCODE` in PowerShell, `echo %errorlevel%` in cmd); the server prints "Channel closed".
 * Interactively, with a pty, Ctrl-D is still just a byte: leave with Enter ~. and the server
 * prints "Channel closed" too.
 */
import { password } from "./02-password.ts";
import { endSession } from "./03-channel.ts";
import { acceptShells } from "./04-pty.ts";
import { echoInput } from "./05-input.ts";
import type { ServerChannel, Session } from "ssh2";
import type { Lesson } from "./shared/lesson.ts";

/**
 * Calls `eofReceived` once the client has sent EOF and every byte it sent before has been
 * read (the article's `eofReceived`). ssh2 tells the session about the EOF ("eof") as soon as
 * it arrives, which can be before the input ahead of it has reached our "data" listener.
 * The channel's "end" comes after that input, but it also comes when the channel is closed
 * or the connection drops. Only both together mean "the input is complete".
 */
export function onEof(channel: ServerChannel, session: Session, eofReceived: () => void): void {
  let eofArrived = false;
  session.once("eof", () => (eofArrived = true));
  channel.once("end", () => {
    if (eofArrived) eofReceived();
  });
}

export const eof: Lesson = {
  number: 6,
  slug: "eof",
  title: "Twisted Conch in 60 Seconds: Detecting EOF on input",
  date: "2011-06-13",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-detecting-eof-on-input.html",
  login: "password",
  tryThis: "pipe a line in (echo hello | ssh -T ...): the echo, then \"eof received\", and ssh exits 0",

  serve(client, context) {
    password.serve(client, context); // log in as in lesson 2
    acceptShells(client, (channel, _terminal, session) => {
      echoInput(channel); // as in lesson 5

      // EOF: the client will send nothing more, but it can still read our reply.
      onEof(channel, session, () => {
        channel.write("eof received\r\n");
        endSession(channel);
      });

      // However the channel ends, this runs once.
      channel.on("close", () => console.log("Channel closed"));
    });
  },
};

/*
 * Exercise 6. Say how much came in: answer EOF with "eof received after 18 bytes" (the count of
 * input bytes).
 *
 * Copy this file to lessons/my-eof.ts, change it there, and check it:
 *   npm run exercise 6 lessons/my-eof.ts
 * (One solution is in lessons/solutions/.)
 */
