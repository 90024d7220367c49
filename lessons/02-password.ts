/**
 * Lesson 2: "Twisted Conch in 60 Seconds: Password Authentication" (2011-03-24)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-password-authentication.html
 *
 * New here: password logins checked against `keys/ssh-passwords`, one `user:password` per
 * line (the article's `FilePasswordDB("ssh-passwords")`). The demo users are alice
 * (goodpassword), bob (badpassword: that *is* his password) and jpcalderone
 * (supersecretpassword). A wrong password or an unknown user is refused, and only the
 * "password" method is offered back.
 *
 * Once you are in, there is still nothing to do: the server has no "session" handler (the
 * article's avatar has an empty `channelLookup`), so ssh2 refuses the session channel that
 * `ssh` opens next.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson password
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * A wrong password gets "Permission denied, please try again."; the right one gets
 * "channel 0: open failed: administratively prohibited" and `ssh` exits 255. (Twisted's
 * refusal read "unknown channel type"; the effect is the same.)
 */
import type { Lesson } from "./shared/lesson.ts";

export const password: Lesson = {
  number: 2,
  slug: "password",
  title: "Twisted Conch in 60 Seconds: Password Authentication",
  date: "2011-03-24",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-password-authentication.html",
  login: "password",
  tryThis: "log in; ssh then reports that the session channel could not be opened",

  serve(client, { passwords }) {
    client.on("authentication", (attempt) => {
      // OpenSSH first asks with method "none", to learn which methods there are.
      if (attempt.method === "password" && passwords.check(attempt.username, attempt.password)) {
        return attempt.accept();
      }
      attempt.reject(["password"]);
    });
  },
};

/*
 * Exercise 2. Let bob in with any password at all, and everyone else only with their own.
 *
 * Copy this file to lessons/my-password.ts, change it there, and check it:
 *   npm run exercise 2 lessons/my-password.ts
 * (One solution is in lessons/solutions/.)
 */
