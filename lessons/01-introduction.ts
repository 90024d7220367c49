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
 * printed), then gives up with "alice@localhost: Permission denied ()." and exit status 255.
 * The "()" is the empty list of methods. The server keeps running; try again.
 *
 * Exercise: refuse the same way, but first log each attempt's user name and method
 * (`attempt.username`, `attempt.method`). What does `ssh` try before it gives up?
 */
import type { Lesson } from "./shared/lesson.ts";

export const introduction: Lesson = {
  number: 1,
  slug: "introduction",
  title: "Twisted Conch in 60 Seconds: Introduction to an SSH server",
  date: "2011-03-23",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-introduction-to-an-ssh-server.html",
  login: "nobody",
  tryThis: 'accept the host key; ssh then says "Permission denied ()." because no way to log in is offered',

  serve(client) {
    // Every attempt is refused, and the list of methods that "can continue" is empty.
    client.on("authentication", (attempt) => attempt.reject([]));
  },
};
