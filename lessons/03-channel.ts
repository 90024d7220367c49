/**
 * Lesson 3: "Twisted Conch in 60 Seconds: A Trivial Channel" (2011-04-05)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-a-trivial-channel.html
 *
 * New here: a "session" channel (the article's `SimpleSession`, registered in the avatar's
 * `channelLookup`). Logging in works as in lesson 2. The client then asks the channel for
 * a pty, which this server refuses, and for a shell, which it grants: it writes one line and
 * ends the channel.
 *
 * Unlike the original, it sends exit-status 0 before ending the channel, so `ssh` exits 0;
 * the article's server sent none, and `ssh` exited 255.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson channel
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * You see "PTY allocation request failed on channel 0", then "This session is very simple.
 * Goodbye!", and the exit status is 0 (`echo $?` in bash and zsh, `$LASTEXITCODE` in
 * PowerShell, `echo %errorlevel%` in cmd).
 * Use plain `ssh` here, not `ssh -t`: OpenSSH 9 gives up on the whole session when a pty
 * it was explicitly told to get is refused, and then shows nothing.
 */
import type { ServerChannel } from "ssh2";
import { password } from "./02-password.ts";
import type { Lesson } from "./shared/lesson.ts";

/**
 * Ends a session politely: exit-status 0 first (so `ssh` exits 0, not 255), then EOF and
 * close. ssh2 drops the exit-status once the channel is ended, so the order matters.
 */
export function endSession(channel: ServerChannel): void {
  channel.exit(0);
  channel.end();
}

export const channel: Lesson = {
  number: 3,
  slug: "channel",
  title: "Twisted Conch in 60 Seconds: A Trivial Channel",
  date: "2011-04-05",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-a-trivial-channel.html",
  login: "password",
  tryThis: 'log in; the pty is refused, the shell says "This session is very simple.  Goodbye!" and ends',

  serve(client, context) {
    password.serve(client, context); // log in as in lesson 2

    client.on("session", (acceptSession) => {
      const session = acceptSession();
      session.on("pty", (_accept, reject) => reject?.());
      session.on("shell", (acceptShell) => {
        const channel = acceptShell();
        if (!channel) return; // a second shell request on the same session
        channel.write("This session is very simple.  Goodbye!\r\n");
        endSession(channel);
      });
    });
  },
};

/*
 * Exercise 3. Say goodbye by name: "This session is very simple.  Goodbye, alice!" (serve's second
 * argument has `user`, the login name, once the client has logged in).
 *
 * Copy this file to lessons/my-channel.ts, change it there, and check it:
 *   npm run exercise 3 lessons/my-channel.ts
 * (One solution is in lessons/solutions/.)
 */
