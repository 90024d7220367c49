/**
 * What a lesson is: one article of the series, and what its server does with each SSH
 * connection. Every file in `lessons/` exports one {@link Lesson}; `tutorial.ts` serves it.
 *
 * @example
 * ```ts
 * import type { Lesson } from "./lesson.ts";
 * export const nothing: Lesson = {
 *   number: 0, slug: "nothing", title: "Nothing", date: "2011-01-01", url: "https://example.com",
 *   login: "nobody", tryThis: "connect and be refused",
 *   serve(client) { client.on("authentication", (attempt) => attempt.reject([])); },
 * };
 * ```
 * @module
 */
import type { Connection } from "ssh2";
import type { PasswordFile } from "./password-file.ts";

/** An end of a TCP connection, like Twisted's `IPv4Address`. */
export interface Address {
  type: "TCP";
  host: string;
  port: number;
}

/** What the shared server hands a lesson with each connection. */
export interface ConnectionContext {
  /** The demo users, from `keys/ssh-passwords`. */
  passwords: PasswordFile;
  /** The client's end of the connection. */
  peer: Address;
  /** The server's end of the connection. */
  host: Address;
  /** The login name, once the client has logged in (Twisted's avatar id). */
  user?: string;
  /** Writes a line to the server's log (stderr), tagged with this connection. */
  log(message: string): void;
}

export interface Lesson {
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
  /** Sets up one client connection: the whole of what the article's server does. */
  serve(client: Connection, context: ConnectionContext): void;
}
