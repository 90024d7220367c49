/**
 * Lesson 1: "Twisted Conch in 60 Seconds: Introduction to an SSH server" (2011-03-23)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-introduction-to-an-ssh-server.html
 *
 * New here: an SSH server. It has a host key (Twisted's `SSHFactory` with `privateKeys`
 * and `publicKeys`; ours is `keys/ssh_host_ed25519_key`, made on the first run), it listens
 * on port 2022, and it completes the key exchange with any SSH client. It offers no way to
 * log in: the article's `Portal(None)` has no credential checkers, so the list of
 * authentication methods it sends back is empty.
 *
 * Try it:
 *   npx tsx tutorial.ts --lesson introduction
 *   ssh -p 2022 alice@localhost
 * `ssh` asks you to accept the host key (compare the fingerprint with the one the server
 * printed). The server answers with an empty list of methods, which OpenSSH takes as "try
 * your usual ones", so it asks for a password three times; every answer is refused, and it
 * ends with "alice@localhost: Permission denied ()." and exit status 255. The "()" is that
 * empty list. (`ssh -o BatchMode=yes` skips the prompts.) The server keeps running.
 */
import type { Lesson } from "./shared/lesson.ts";

export const introduction: Lesson = {
  number: 1,
  slug: "introduction",
  title: "Twisted Conch in 60 Seconds: Introduction to an SSH server",
  date: "2011-03-23",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-introduction-to-an-ssh-server.html",
  login: "nobody",
  tryThis: 'accept the host key; every password is refused, and ssh ends with "Permission denied ()."',

  serve(client) {
    // Every attempt is refused, and the list of methods that "can continue" is empty.
    client.on("authentication", (attempt) => attempt.reject([]));
  },
};

/*
 * Exercise 1. Log every login attempt before refusing it, as "login attempt: <method> by <user>"
 * (`attempt.method`, `attempt.username`, and the `log` in serve's second argument).
 * Which methods does `ssh` try before it gives up?
 *
 * Copy this file to lessons/my-introduction.ts, change it there, and check it:
 *   npm run exercise 1 lessons/my-introduction.ts
 * (One solution is in lessons/solutions/.)
 */
