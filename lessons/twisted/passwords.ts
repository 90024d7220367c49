/**
 * The demo password file of article 2, read the way Twisted's `FilePasswordDB` reads
 * `ssh-passwords`: one `user:password` per line, plain text, case-sensitive, each line
 * right-stripped. Unlike Twisted, a line we cannot read is an error naming the file and
 * the line (Twisted skips it silently); blank lines and `#` comments are allowed.
 *
 * The classroom: with `--class-password <word>`, the tutorial hands the lessons the file's path
 * together with that word (`setup.passwordFile`), and the PasswordFile checks both, as Twisted's
 * Portal would with a second credentials checker: the file's users with their passwords, and
 * any valid login name ({@link isLoginName}) with the class word. So every student logs in
 * with their own name, and no lesson changes.
 *
 * @example
 * ```ts
 * import { readPasswordFile } from "./passwords.ts";
 * const passwords = readPasswordFile("keys/ssh-passwords");
 * passwords.check("alice", "goodpassword"); // true
 * const classroom = readPasswordFile({ path: "keys/ssh-passwords", classPassword: "tulip" });
 * classroom.check("maria", "tulip"); // true
 * ```
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, UserError } from "../server/user-error.ts";

/** Where the passwords come from: a file's path, or (`--class-password`) the path and a class word. */
export type PasswordSource = string | { path: string; classPassword?: string };

/** A login name the class password is good for: ASCII letters, digits, `_` and `-`, 1 to 32 of them. */
export function isLoginName(name: string): boolean {
  return /^[A-Za-z0-9_-]{1,32}$/.test(name);
}

/** The users of a password file, and a constant-time password check. */
export class PasswordFile {
  readonly #digests: Map<string, Buffer>;
  readonly #classDigest: Buffer | undefined;

  constructor(readonly path: string, users: Map<string, string>, classPassword?: string) {
    this.#digests = new Map([...users].map(([user, password]) => [user, digest(password)]));
    this.#classDigest = classPassword === undefined ? undefined : digest(classPassword);
  }

  /** Whether any valid login name may log in with a class password too. */
  get forClass(): boolean {
    return this.#classDigest !== undefined;
  }

  /** The user names, in file order. */
  get users(): string[] {
    return [...this.#digests.keys()];
  }

  /**
   * Whether `password` is `user`'s, or the class password for a valid login name. Takes the
   * same time for any user or password.
   */
  check(user: string, password: string): boolean {
    const given = digest(password);
    const expected = this.#digests.get(user) ?? UNKNOWN_USER;
    const fromFile = timingSafeEqual(given, expected) && this.#digests.has(user);
    const fromClass = timingSafeEqual(given, this.#classDigest ?? UNKNOWN_USER) && this.forClass && isLoginName(user);
    return fromFile || fromClass;
  }
}

const digest = (text: string) => createHash("sha256").update(text).digest();
const UNKNOWN_USER = digest("\0no such user\0");

/** Parses `user:password` lines; throws a {@link UserError} naming the file and line. */
export function parsePasswords(path: string, text: string, classPassword?: string): PasswordFile {
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
  return new PasswordFile(path, users, classPassword);
}

/**
 * Reads and parses a password file (with the class password, if the source has one); a missing
 * or unreadable file is a {@link UserError}.
 */
export function readPasswordFile(source: PasswordSource): PasswordFile {
  const { path, classPassword } = typeof source === "string" ? { path: source, classPassword: undefined } : source;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`${path}: cannot read the password file (${describe(error)})`);
  }
  return parsePasswords(path, text, classPassword);
}
