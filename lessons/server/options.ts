/**
 * The flags a lesson's server takes, the same whether it is started as `tutorial.ts --lesson 5`
 * or as `lessons/05-input.ts` itself.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./options.ts";
 * const { serve } = parseFlags(["--port", "2251", "--trace"], { lessonFlags: false });
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from "./login-limits.ts";
import { UserError } from "./user-error.ts";

export const DEFAULT_KEYS = fileURLToPath(new URL("../../keys", import.meta.url));

/** A mistake in the flags: exit status 2, and a pointer to --help. */
export class UsageError extends UserError {}

export const SERVER_FLAGS = `  -p, --port <port>    TCP port to listen on (default 2022, as in the articles; 0 = any free port)
      --host <addr>    address to listen on (default 127.0.0.1: only this machine)
      --class-password <word>  a classroom: any login name (letters, digits, _ and -, up to 32)
                       logs in with this word, besides the users of ssh-passwords
      --keys <dir>     where the host key and ssh-passwords live (default: keys/ in this repository)
      --protocol <module>  with lesson 7: serve the Protocol your module exports instead of
                       EchoProtocol (e.g. lessons/protocols/chat-room.ts)
      --trace          print every SSH event of every connection (login, requests, data, close)
      --wire           print every SSH message both ways, named and numbered as the RFCs do
      --diagram <file.md>  write each connection's messages as a Mermaid sequence diagram
  -h, --help           show this help

Limits (the README's "Security" section says why these defaults):
      --password-delay <s>   wait before refusing a password (default 1, as Twisted)
      --max-auth-tries <n>   refused logins before disconnecting (default 6, as sshd)
      --login-grace <s>      time allowed to log in (default 120, as sshd)
      --max-startups <n>     connections in the SSH handshake at once; more wait their turn
                             (default 64; at most 16 times as many not yet logged in)`;

/** How to serve a lesson, from the flags. */
export interface ServeFlags {
  host: string;
  port: number;
  keys: string;
  /** `--class-password`: a word any valid login name may log in with. */
  classPassword?: string;
  limits: LoginLimits;
  trace: boolean;
  /** `--wire`, and `--diagram <file>`: the SSH messages (wire.ts, diagram.ts). */
  wire: boolean;
  diagram?: string;
  /** A student's Protocol module, for lesson 7. */
  protocol?: string;
}

export interface Flags {
  serve: ServeFlags;
  help: boolean;
  /** tutorial.ts only: */
  lesson?: string;
  list: boolean;
}

/** Reads the flags; `lessonFlags` allows tutorial.ts's --lesson and --list. */
export function parseFlags(args: string[], { lessonFlags }: { lessonFlags: boolean }): Flags {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        ...(lessonFlags ? { lesson: { type: "string", short: "l" }, list: { type: "boolean" } } as const : {}),
        port: { type: "string", short: "p", default: "2022" },
        host: { type: "string", default: "127.0.0.1" },
        "class-password": { type: "string" },
        keys: { type: "string", default: DEFAULT_KEYS },
        protocol: { type: "string" },
        trace: { type: "boolean" },
        wire: { type: "boolean" },
        diagram: { type: "string" },
        help: { type: "boolean", short: "h" },
        "password-delay": { type: "string", default: String(DEFAULT_LOGIN_LIMITS.passwordDelayMs / 1000) },
        "max-auth-tries": { type: "string", default: String(DEFAULT_LOGIN_LIMITS.maxAuthTries) },
        "login-grace": { type: "string", default: String(DEFAULT_LOGIN_LIMITS.loginGraceMs / 1000) },
        "max-startups": { type: "string", default: String(DEFAULT_LOGIN_LIMITS.maxStartups) },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const given = values as typeof values & { lesson?: string; list?: boolean };
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    throw new UsageError(`--port ${JSON.stringify(values.port)} is not a port number (0 to 65535)`);
  }
  if (values.host.trim() === "") throw new UsageError("--host is empty (try --host 127.0.0.1)");
  if (values["class-password"] === "") throw new UsageError("--class-password is empty (give the word the class will type)");
  const limits: LoginLimits = {
    passwordDelayMs: number("--password-delay", values["password-delay"], 0) * 1000,
    maxAuthTries: number("--max-auth-tries", values["max-auth-tries"], 1, true),
    loginGraceMs: number("--login-grace", values["login-grace"], 0.001) * 1000,
    maxStartups: number("--max-startups", values["max-startups"], 1, true),
  };
  return {
    serve: {
      host: values.host,
      port: Number(values.port),
      keys: values.keys,
      classPassword: values["class-password"],
      limits,
      trace: values.trace ?? false,
      wire: values.wire ?? false,
      diagram: values.diagram,
      protocol: values.protocol,
    },
    help: values.help ?? false,
    lesson: given.lesson,
    list: given.list ?? false,
  };
}

/** A flag's value as a number no smaller than `least` (and whole, if asked). */
function number(flag: string, text: string, least: number, whole = false): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < least || (whole && !Number.isInteger(value))) {
    throw new UsageError(`${flag} ${JSON.stringify(text)} is not a ${whole ? "whole " : ""}number of at least ${least}`);
  }
  return value;
}
