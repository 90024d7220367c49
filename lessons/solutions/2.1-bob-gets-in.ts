/**
 * Exercise 2.1, solved: bob gets in with any password, the others only with theirs (a changed copy of lessons/02-password.ts).
 * Check yours: npx tsx tutorial.ts verify 2.1    (your copy: exercises/2.1-bob-gets-in.ts)
 */
import ssh2 from "ssh2";
import type { Connection } from "ssh2";
import { loadHostKeys } from "../twisted/keys.ts";
import { type PasswordFile, readPasswordFile } from "../twisted/passwords.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "../twisted/reactor.ts";

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
    const bob = attempt.username === "bob";
    if (attempt.method === "password" && (bob || passwords.check(attempt.username, attempt.password))) {
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
