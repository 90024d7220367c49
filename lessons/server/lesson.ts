/**
 * What a lesson is, to the tutorial: a file that exports its `article` (which article it
 * tells, for the banner) and `makeServer(setup)`, the article's `SSHFactory`: an ssh2
 * `Server` whose connection handler is wrapped with `setup.wrap`. The tutorial's machinery
 * (listening, limits, refusals, logging, trace) reaches a lesson only through these types.
 *
 * @example
 * ```ts
 * import ssh2 from "ssh2";
 * import { loadHostKeys } from "../twisted/keys.ts";
 * import type { Article, Setup } from "./lesson.ts";
 * export const article: Article = {
 *   number: 1, slug: "nothing", title: "Nothing", date: "2011-01-01", url: "https://example.com",
 *   login: "nobody", tryThis: "connect and be refused",
 * };
 * export function makeServer({ keys, algorithms, wrap }: Setup) {
 *   return new ssh2.Server({ hostKeys: loadHostKeys(keys), algorithms }, wrap((client) => {
 *     client.on("authentication", (attempt) => attempt.reject([]));
 *   }));
 * }
 * ```
 * @module
 */
import type { Algorithms, ClientInfo, Connection, Server } from "ssh2";
import type { PasswordSource } from "../twisted/passwords.ts";
import type { Address, Protocol } from "../twisted/protocol.ts";

/** Which article a lesson tells: printed when its server starts. */
export interface Article {
  number: number;
  slug: string;
  /** The article's exact title, and the date it was published. */
  title: string;
  date: string;
  url: string;
  /** Who can log in: nobody (article 1), or the users of the password file. */
  login: "nobody" | "password";
  /** What to do once connected, printed when the server starts. */
  tryThis: string;
}

/** What the tutorial knows about one connection, and hands the lesson with it. */
export interface Context {
  /** 1 for the first connection of this server, 2 for the next, ... */
  number: number;
  info: ClientInfo;
  /** The client's end of the connection. */
  peer: Address;
  /** The server's end of the connection. */
  host: Address;
  /** The login name, once the client has logged in (Twisted's avatar id). */
  user?: string;
  /** Writes a line to the server's log (stderr), tagged with this connection. */
  log(message: string): void;
}

/** What happens to one SSH connection: a lesson's, or one layer of the tutorial's. */
export type Handler = (client: Connection, context: Context) => void;

/** One layer of the tutorial around a lesson's handler: gets the next handler, returns its own. */
export type Middleware = (next: Handler) => Handler;

/** What the tutorial hands a lesson's `makeServer`. */
export interface Setup {
  /** The folder holding the host keys (`--keys`, default `keys/`). */
  keys: string;
  /**
   * The password file in that folder, `ssh-passwords`, for `readPasswordFile`; with
   * `--class-password`, its path and the class word, which `readPasswordFile` checks as well.
   */
  passwordFile: PasswordSource;
  /** The algorithms to offer (ssh2's `algorithms`): see algorithms.ts. */
  algorithms: Algorithms;
  /** Wraps the lesson's handler in the tutorial's layers; the result is ssh2's connection listener. */
  wrap(handler: Handler): (client: Connection, info: ClientInfo) => void;
}

/** A lesson file's exports. Lesson 7's `makeServer` also takes the Protocol to serve. */
export interface LessonModule {
  article: Article;
  makeServer(setup: Setup, makeProtocol?: () => Protocol): Server;
}
