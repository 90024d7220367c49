/**
 * Exercise 3.3, solved: the exit-status is the login name's length (a changed copy of lessons/03-channel.ts).
 * Check yours: npx tsx tutorial.ts verify 3.3    (your copy: exercises/3.3-exit-status.ts)
 */
import ssh2 from "ssh2";
import type { Connection, ServerChannel, Session } from "ssh2";
import { loadHostKeys } from "../twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "../twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "../twisted/reactor.ts";

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
function endSession(channel: ServerChannel, status: number): void {
  channel.exit(status);
  channel.end();
}

/** The article's SimpleSession: refuses the pty; on the shell request, one line and the end. */
function simpleSession(session: Session, context: Context): void {
  session.on("pty", (_accept, reject) => reject?.());
  session.on("shell", (accept) => {
    const channel = accept();
    if (!channel) return; // a second shell request on the same session
    channel.write("This session is very simple.  Goodbye!\r\n");
    endSession(channel, context.user?.length ?? 0);
  });
}

/** One SSH connection. The article's Portal with its FilePasswordDB checker: who may log in. */
function connectionMade(client: Connection, context: Context, passwords: PasswordFile): void {
  client.on("authentication", (attempt) => {
    // OpenSSH first asks with method "none", to learn which methods there are.
    if (attempt.method === "password" && passwords.check(attempt.username, attempt.password)) {
      return attempt.accept();
    }
    attempt.reject(["password"]);
  });
  // The article's SimpleRealm.requestAvatar: a ConchUser whose channelLookup maps "session" to SimpleSession.
  client.on("session", (accept) => simpleSession(accept(), context));
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
