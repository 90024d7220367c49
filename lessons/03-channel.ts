/**
 * Lesson 3: "Twisted Conch in 60 Seconds: A Trivial Channel" (2011-04-05)
 * https://as.ynchrono.us/twisted-conch-in-60-seconds-a-trivial-channel.html
 *
 * Concept map: channelLookup["session"], request_shell → client.on("session"), session.on("shell") → SSH_MSG_CHANNEL_OPEN "session", CHANNEL_REQUEST "shell" → RFC 4254 §6.1, §6.5
 *
 * New here: a "session" channel. In Twisted the Realm's avatar (a `ConchUser`) gets
 * `channelLookup["session"] = SimpleSession`, an `SSHChannel` named "session"; here listening
 * for "session" on the connection is that lookup, and `simpleSession` is the channel: each
 * request on it ("pty", "shell") is an event, answered with accept or reject as Twisted's
 * `request_*` methods answer by returning True or False. Logging in works as in lesson 2.
 * The client asks the channel for a pty, which this server refuses, and for a shell, which
 * it grants: it writes one line and ends the channel.
 *
 * Unlike the original, it sends exit-status 0 before ending the channel, so `ssh` exits 0;
 * the article's server sent none, and `ssh` exited 255.
 *
 * Try it:
 *   npx tsx lessons/03-channel.ts        (or: npx tsx tutorial.ts --lesson channel)
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 * You see "PTY allocation request failed on channel 0", then "This session is very simple.
 * Goodbye!", and the exit status is 0 (`echo $?` in bash and zsh, `$LASTEXITCODE` in
 * PowerShell, `echo %errorlevel%` in cmd).
 * Use plain `ssh` here, not `ssh -t`: OpenSSH 9 gives up on the whole session when a pty
 * it was explicitly told to get is refused, and then shows nothing.
 */
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "./twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "./twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "./twisted/reactor.ts";

export const article: Article = {
  number: 3,
  slug: "channel",
  title: "Twisted Conch in 60 Seconds: A Trivial Channel",
  date: "2011-04-05",
  url: "https://as.ynchrono.us/twisted-conch-in-60-seconds-a-trivial-channel.html",
  login: "password",
  tryThis: 'log in; the pty is refused, the shell says "This session is very simple.  Goodbye!" and ends',
};

/**
 * Ends a session politely: exit-status 0 first (so `ssh` exits 0, not 255), then EOF and
 * close (the article's loseConnection). ssh2 drops the exit-status once the channel is ended.
 */
function endSession(channel: ServerChannel): void {
  channel.exit(0);
  channel.end();
}

/** The article's SimpleSession: refuses the pty; on the shell request, one line and the end. */
function simpleSession(session: Session): void {
  session.on("pty", (_accept, reject) => reject?.());
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    channel.write("This session is very simple.  Goodbye!\r\n");
    endSession(channel);
  });
}

/** One SSH connection. The article's Portal with its FilePasswordDB checker: who may log in. */
function connectionMade(client: Connection, _context: Context, passwords: PasswordFile): void {
  client.on("authentication", (attempt) => {
    // OpenSSH first asks with method "none", to learn which methods there are.
    if (attempt.method === "password" && passwords.check(attempt.username, attempt.password)) {
      return attempt.accept();
    }
    attempt.reject(["password"]);
  });
  // The article's SimpleRealm.requestAvatar: a ConchUser whose channelLookup maps "session" to SimpleSession.
  client.on("session", (accept) => simpleSession(accept()));
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
 *   3.1  Say goodbye by name
 *   3.2  Survive ssh -t: grant the pty
 *   3.3  An exit-status that says something
 * Start one with `npx tsx tutorial.ts exercise 3.1`: it prints the task and copies this file
 * to exercises/, where you change it. Then `npx tsx tutorial.ts verify 3.1` checks your copy
 * (`--watch`: on every save), `hint 3.1` helps, `run 3.1` serves it to the real ssh.
 */
