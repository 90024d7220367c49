/**
 * The demo password file of article 2, read the way Twisted's `FilePasswordDB` reads
 * `ssh-passwords`: one `user:password` per line, plain text, case-sensitive, each line
 * right-stripped. Unlike Twisted, a line we cannot read is an error naming the file and
 * the line (Twisted skips it silently); blank lines and `#` comments are allowed.
 *
 * @example
 * ```ts
 * import { readPasswordFile } from "./passwords.ts";
 * const passwords = readPasswordFile("keys/ssh-passwords");
 * passwords.check("alice", "goodpassword"); // true
 * ```
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, UserError } from "../server/user-error.ts";

/** The users of a password file, and a constant-time password check. */
export class PasswordFile {
  readonly #digests: Map<string, Buffer>;

  constructor(readonly path: string, users: Map<string, string>) {
    this.#digests = new Map([...users].map(([user, password]) => [user, digest(password)]));
  }

  /** The user names, in file order. */
  get users(): string[] {
    return [...this.#digests.keys()];
  }

  /** Whether `password` is `user`'s. Takes the same time for any user or password. */
  check(user: string, password: string): boolean {
    const expected = this.#digests.get(user) ?? UNKNOWN_USER;
    const matches = timingSafeEqual(digest(password), expected);
    return matches && this.#digests.has(user);
  }
}

const digest = (text: string) => createHash("sha256").update(text).digest();
const UNKNOWN_USER = digest("\0no such user\0");

/** Parses `user:password` lines; throws a {@link UserError} naming the file and line. */
export function parsePasswords(path: string, text: string): PasswordFile {
  const users = new Map<string, string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd();
    if (line === "" || line.startsWith("#")) return;
    const where = `${path}:${index + 1}`;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new UserError(`${where}: expected user:password, found ${JSON.stringify(line)}`);
    const user = line.slice(0, colon);
    if (users.has(user)) throw new UserError(`${where}: user ${JSON.stringify(user)} is listed twice`);
    users.set(user, line.slice(colon + 1));
  });
  if (users.size === 0) throw new UserError(`${path}: no users (add a line like alice:goodpassword)`);
  return new PasswordFile(path, users);
}

/** Reads and parses a password file; a missing or unreadable file is a {@link UserError}. */
export function readPasswordFile(path: string): PasswordFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`${path}: cannot read the password file (${describe(error)})`);
  }
  return parsePasswords(path, text);
}
