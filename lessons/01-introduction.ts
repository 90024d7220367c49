/**
 * Lesson 1: "Twisted Conch in 60 Seconds: Introduction to an SSH server" (2011-03-23)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-introduction-to-an-ssh-server.html
 *
 * Concept map: SSHFactory, Portal(None) → new ssh2.Server, attempt.reject([]) → SSH_MSG_KEXINIT, SSH_MSG_USERAUTH_FAILURE with no methods → RFC 4253 §7, RFC 4252 §5.1
 *
 * ssh2 in one paragraph. An ssh2 `Server` does the SSH transport (version lines, key exchange,
 * encryption) by itself and tells us what the client asks for as events; the first argument
 * of each event is how we answer. A login attempt arrives as "authentication" with an object
 * to `accept()` or `reject(methods)`. Once logged in, the client opens channels: a "session"
 * event gives `accept()` and `reject()`, and accepting returns a `Session`, where the client's
 * requests ("pty", "shell") arrive the same way; accepting "shell" returns the `Channel`, the
 * byte stream both ways. When the client asked for no reply, ssh2 passes `accept` and
 * `reject` as undefined, hence `accept?.()`. So: a `Connection` (one client) holds sessions;
 * a session is a channel of type "session" (Twisted's SSHSession, an SSHChannel) whose
 * requests we answer; its stream is what we read and write.
 *
 * New here: an SSH server. It has a host key (the article's `Key.fromString` of `id_rsa`;
 * ours is `keys/ssh_host_ed25519_key`, made on the first run), it listens on port 2022, and
 * it completes the key exchange with any SSH client. It offers no way to log in: the
 * article's `Portal(None)` has no credential checkers, so the list of authentication methods
 * it sends back is empty.
 *
 * Try it:
 *   npx tsx lessons/01-introduction.ts        (or: npx tsx tutorial.ts --lesson introduction)
 *   ssh -p 2022 alice@localhost
 * `ssh` asks you to accept the host key (compare the fingerprint with the one the server
 * printed). The server answers with an empty list of methods, which OpenSSH takes as "try
 * your usual ones", so it asks for a password three times; every answer is refused, and it
 * ends with "alice@localhost: Permission denied ()." and exit status 255. The "()" is that
 * empty list. (`ssh -o BatchMode=yes` skips the prompts.) The server keeps running.
 */
import ssh2 from "ssh2";
import type { Connection } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";

export const article: Article = {
  number: 1,
  slug: "introduction",
  title: "Twisted Conch in 60 Seconds: Introduction to an SSH server",
  date: "2011-03-23",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-introduction-to-an-ssh-server.html",
  login: "nobody",
  tryThis: 'accept the host key; every password is refused, and ssh ends with "Permission denied ()."',
};

/** One SSH connection. The article's Portal(None): every attempt is refused, and no method is offered. */
function connectionMade(client: Connection, _context: Context): void {
  client.on("authentication", (attempt) => attempt.reject([]));
}

/** The article's SSHFactory: an ssh2 Server with the host key, handing it each connection. */
export function makeServer(setup: Setup): ssh2.Server {
  const hostKeys = loadHostKeys(setup.keys); // the article's Key.fromString(privateBlob)
  return new ssh2.Server({ hostKeys, algorithms: setup.algorithms }, setup.wrap(connectionMade));
}

// The article's reactor.listenTCP(2022, factory) and reactor.run(), when this file is the program.
if (isMain(import.meta)) listenTCP(2022, { article, makeServer });

/*
 * Exercises on this lesson:
 *   1.1  Log every login attempt
 *   1.2  Offer the password method
 * Start one with `npx tsx tutorial.ts exercise 1.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 1.1` checks your copy
 * (`--watch`: on every save), `hint 1.1` helps, `run 1.1` serves it to the real ssh.
 */
