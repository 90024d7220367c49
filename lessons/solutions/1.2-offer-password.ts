/**
 * Exercise 1.2, solved: nobody gets in, and "password" is offered (a changed copy of lessons/01-introduction.ts).
 * Check yours: npx tsx tutorial.ts verify 1.2    (your copy: exercises/1.2-offer-password.ts)
 */
import ssh2 from "ssh2";
import type { Connection } from "ssh2";
import { loadHostKeys } from "../twisted/keys.ts";
import { type Article, type Context, isMain, listenTCP, type Setup } from "../twisted/reactor.ts";

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
  client.on("authentication", (attempt) => attempt.reject(["password"]));
}

/** The article's SSHFactory: an ssh2 Server with the host key, handing it each connection. */
export function makeServer(setup: Setup): ssh2.Server {
  const hostKeys = loadHostKeys(setup.keys); // the article's Key.fromString(privateBlob)
  return new ssh2.Server({ hostKeys, algorithms: setup.algorithms }, setup.wrap(connectionMade));
}

// The article's reactor.listenTCP(2022, factory) and reactor.run(), when this file is the program.
if (isMain(import.meta)) listenTCP(2022, { article, makeServer });
