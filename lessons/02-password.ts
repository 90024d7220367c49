/**
 * Lesson 2: "Twisted Conch in 60 Seconds: Password Authentication" (2011-03-24)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-password-authentication.html
 *
 * Concept map: FilePasswordDB → passwords.check in client.on("authentication") → SSH_MSG_USERAUTH_REQUEST "password" → RFC 4252 §8
 *
 * New here: password logins checked against `keys/ssh-passwords`, one `user:password` per
 * line (the article's `FilePasswordDB("ssh-passwords")`, registered with the Portal). The
 * demo users are alice (goodpassword), bob (badpassword: that *is* his password) and
 * jpcalderone (supersecretpassword). A wrong password or an unknown user is refused, and
 * only the "password" method is offered back. In a classroom, `--class-password <word>` lets
 * every student in under their own name with that word: the tutorial hands it to
 * `readPasswordFile` with the file's path (`setup.passwordFile`), as a second checker on the
 * Portal (lessons/twisted/passwords.ts); this code stays as it is.
 *
 * Once you are in, there is still nothing to do. In Twisted the Portal asks the Realm for an
 * avatar (`requestAvatar` returns a `ConchUser`), and the avatar's `channelLookup` says which
 * channels the user may open: here none. ssh2 has no avatar object: what a logged-in client
 * may do is which events we listen to, and we listen to no "session", so ssh2 refuses the
 * session channel that `ssh` opens next (SSH_MSG_CHANNEL_OPEN_FAILURE, RFC 4254 §5.1).
 *
 * Try it:
 *   npx tsx lessons/02-password.ts        (or: npx tsx tutorial.ts --lesson password)
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * A wrong password gets "Permission denied, please try again."; the right one gets
 * "channel 0: open failed: administratively prohibited" and `ssh` exits 255. (Twisted's
 * refusal read "unknown channel type"; the effect is the same.)
 */
import ssh2 from "ssh2";
import type { Connection } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "./twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";

export const article: Article = {
  number: 2,
  slug: "password",
  title: "Twisted Conch in 60 Seconds: Password Authentication",
  date: "2011-03-24",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-password-authentication.html",
  login: "password",
  tryThis: "log in; ssh then reports that the session channel could not be opened",
};

/** One SSH connection. The article's Portal with its FilePasswordDB checker: who may log in. */
function connectionMade(client: Connection, _context: Context, passwords: PasswordFile): void {
  client.on("authentication", (attempt) => {
    // OpenSSH first asks with method "none", to learn which methods there are.
    if (attempt.method === "password" && passwords.check(attempt.username, attempt.password)) {
      return attempt.accept();
    }
    attempt.reject(["password"]);
  });
  // The article's SimpleRealm.requestAvatar: a ConchUser whose channelLookup is empty (no "session" listener).
}

/** The article's SSHFactory: an ssh2 Server with the host key, handing it each connection. */
export function makeServer(setup: Setup): ssh2.Server {
  const hostKeys = loadHostKeys(setup.keys); // the article's Key.fromString(privateBlob)
  const passwords = readPasswordFile(setup.passwordFile); // the article's FilePasswordDB("ssh-passwords")
  const handler = (client: Connection, context: Context) => connectionMade(client, context, passwords);
  return new ssh2.Server({ hostKeys, algorithms: setup.algorithms }, setup.wrap(handler));
}

// The article's reactor.listenTCP(2022, factory) and reactor.run(), when this file is the program.
if (isMain(import.meta)) listenTCP(2022, { article, makeServer });

/*
 * Exercises on this lesson:
 *   2.1  Let bob in with any password
 *   2.2  Lock out after three wrong passwords
 * Start one with `npx tsx tutorial.ts exercise 2.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 2.1` checks your copy
 * (`--watch`: on every save), `hint 2.1` helps, `run 2.1` serves it to the real ssh.
 */
