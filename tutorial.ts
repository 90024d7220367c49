/**
 * ssh-in-60-seconds: Jean-Paul Calderone's "Twisted Conch in 60 Seconds" (2011), re-told
 * as seven runnable SSH servers. Pick a lesson, start it, and connect with the real `ssh`:
 *
 *   npx tsx tutorial.ts --lesson protocols
 *   ssh -p 2022 alice@localhost          (password: goodpassword)
 *
 * Each lesson lives in `lessons/`, one file per article; this file only reads the flags,
 * loads the keys, and serves the lesson you picked.
 * @module
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { protocolsWith } from "./lessons/07-protocols.ts";
import { findLesson, lessons } from "./lessons/index.ts";
import { connectAddresses, isLoopback } from "./lessons/shared/connect-addresses.ts";
import { checkListenPermission, isPermissionError } from "./lessons/shared/deno-permissions.ts";
import { loadHostKeys } from "./lessons/shared/host-keys.ts";
import type { Lesson } from "./lessons/shared/lesson.ts";
import { loadProtocol } from "./lessons/shared/load-protocol.ts";
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from "./lessons/shared/login-limits.ts";
import { readPasswordFile } from "./lessons/shared/password-file.ts";
import { serveLesson } from "./lessons/shared/serve.ts";
import { tracePrinter } from "./lessons/shared/trace.ts";
import { UserError } from "./lessons/shared/user-error.ts";

const DEFAULT_KEYS = fileURLToPath(new URL("./keys", import.meta.url));

const USAGE = `Usage: npx tsx tutorial.ts --lesson <name|number> [options]

Serves one lesson of "Twisted Conch in 60 Seconds" as an SSH server.

Options:
  -l, --lesson <name>  the lesson to serve: its name (protocols) or number (7, 07)
  -p, --port <port>    TCP port to listen on (default 2022, as in the articles; 0 = any free port)
      --host <addr>    address to listen on (default 127.0.0.1: only this machine)
      --keys <dir>     where the host key and ssh-passwords live (default: keys/ beside tutorial.ts)
      --protocol <module>  with lesson 7: serve the Protocol your module exports instead of
                       EchoProtocol (e.g. lessons/protocols/chat-room.ts)
      --trace          print every SSH event of every connection (login, requests, data, close)
      --list           list the lessons
  -h, --help           show this help

Limits (the README's "Security" section says why these defaults):
      --password-delay <s>   wait before refusing a password (default 1, as Twisted)
      --max-auth-tries <n>   refused logins before disconnecting (default 6, as sshd)
      --login-grace <s>      time allowed to log in (default 120, as sshd)
      --max-startups <n>     connections that may be logging in at once (default 64)`;

function lessonList(): string {
  const rows = lessons.map((lesson) =>
    `  ${String(lesson.number).padStart(2)}  ${lesson.slug.padEnd(13)} ${lesson.title.replace(/^Twisted Conch in 60 Seconds: /, "")} (${lesson.date})`
  );
  return `Lessons:\n${rows.join("\n")}\n\nStart one with:  npx tsx tutorial.ts --lesson protocols`;
}

interface Options {
  lesson: Lesson;
  host: string;
  port: number;
  keys: string;
  limits: LoginLimits;
  /** A student's Protocol module, for lesson 7. */
  protocol?: string;
  trace: boolean;
}

/** Reads the flags; returns undefined when there is nothing to serve (help, list). */
function parseOptions(args: string[]): Options | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        lesson: { type: "string", short: "l" },
        port: { type: "string", short: "p", default: "2022" },
        host: { type: "string", default: "127.0.0.1" },
        keys: { type: "string", default: DEFAULT_KEYS },
        protocol: { type: "string" },
        list: { type: "boolean" },
        trace: { type: "boolean" },
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
  if (values.help) {
    console.log(`${USAGE}\n\n${lessonList()}`);
    return undefined;
  }
  if (values.protocol !== undefined) values.lesson ??= "protocols";
  if (values.list || values.lesson === undefined) {
    console.log(lessonList());
    return undefined;
  }
  const lesson = findLesson(values.lesson);
  if (!lesson) {
    const names = lessons.map((each) => `${each.number} ${each.slug}`).join(", ");
    throw new UsageError(`no lesson ${JSON.stringify(values.lesson)}; choose one of: ${names}`);
  }
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    throw new UsageError(`--port ${JSON.stringify(values.port)} is not a port number (0 to 65535)`);
  }
  if (values.host.trim() === "") throw new UsageError("--host is empty (try --host 127.0.0.1)");
  const limits: LoginLimits = {
    passwordDelayMs: number("--password-delay", values["password-delay"], 0) * 1000,
    maxAuthTries: number("--max-auth-tries", values["max-auth-tries"], 1, true),
    loginGraceMs: number("--login-grace", values["login-grace"], 0.001) * 1000,
    maxStartups: number("--max-startups", values["max-startups"], 1, true),
  };
  if (values.protocol !== undefined && lesson.slug !== "protocols") {
    throw new UsageError(`--protocol works with lesson 7 (protocols), not with ${lesson.slug}`);
  }
  return {
    lesson,
    host: values.host,
    port: Number(values.port),
    keys: values.keys,
    limits,
    protocol: values.protocol,
    trace: values.trace ?? false,
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

class UsageError extends UserError {}

async function main(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (!options) return;
  const { host, keys } = options;
  let lesson = options.lesson;
  const custom = options.protocol === undefined ? undefined : await loadProtocol(options.protocol);
  if (custom) {
    lesson = {
      ...protocolsWith(custom.makeProtocol),
      tryThis: "your Protocol's connectionMade runs, then dataReceived for each key; leave with Enter ~.",
    };
  }
  const show = (path: string) => relative(process.cwd(), path) || path;

  if (!existsSync(keys)) throw new UserError(`${keys}: no such folder (it should hold ssh-passwords and the host key)`);
  const passwords = await readPasswordFile(join(keys, "ssh-passwords"));
  const hostKeys = loadHostKeys(keys);
  if (!isLoopback(host)) {
    console.error(`Warning: listening on ${host}, not only on this machine; the demo passwords in ${show(passwords.path)} let anyone who can reach it log in.`);
  }
  checkListenPermission(host, options.port);
  const server = await serveLesson({
    lesson,
    host,
    port: options.port,
    hostKeys,
    passwords,
    limits: options.limits,
    trace: options.trace ? tracePrinter() : undefined,
  });
  const { port } = server.address;

  // Ctrl-C or SIGTERM: close the listener and the open sessions, then exit 0.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(0); // a second Ctrl-C: don't wait
    stopping = true;
    console.error(`${signal}: closing the listener and the open sessions`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  // Windows has no SIGTERM, and Deno there refuses a listener for it.
  if (process.platform !== "win32") process.on("SIGTERM", () => stop("SIGTERM"));
  // When our output is gone (the terminal closed, `| head` done), stop, as Unix tools do on
  // EPIPE. Without this, reporting the write error would fail again, and again, for ever.
  for (const output of [process.stdout, process.stderr]) output.on("error", () => process.exit(0));
  // Errors in a connection end that connection (serve.ts). Anything else, say a timer in a
  // student's code, is logged; the class goes on.
  process.on("uncaughtException", (error) => console.error(`unexpected error; still serving: ${error.stack}`));

  const { addresses, unlisted } = connectAddresses(host);
  const everywhere = !isLoopback(host) && addresses[0] !== host; // 0.0.0.0 or ::
  const demo = passwords.check("alice", "goodpassword")
    ? "password: goodpassword"
    : `password: see ${show(passwords.path)}`;
  const login = lesson.login === "password" ? demo : "nobody can log in: that is the lesson";
  console.log([
    `Lesson ${lesson.number}: ${lesson.slug}`,
    `  "${lesson.title}" (${lesson.date})`,
    `  ${lesson.url}`,
    ...(custom ? [`  serving ${options.protocol}: its ${custom.name}`] : []),
    ``,
    `Listening on ${server.address.host}:${port}`,
    ...hostKeys.map((key) => `${key.label} key fingerprint is ${key.fingerprint}.  (${show(key.file)})`),
    `Connect:  ssh -p ${port} alice@${unlisted ? "<this machine's address>" : addresses[0]}    (${login})`,
    ...(unlisted ? [] : addresses.slice(1)).map((address) => `          ssh -p ${port} alice@${address}`),
    ...(unlisted ? [`          (${unlisted})`] : []),
    ...(everywhere ? [`          ssh -p ${port} alice@localhost    (from this machine)`] : []),
    `Then:     ${lesson.tryThis}`,
    `Stop the server with Ctrl-C.`,
    ``,
  ].join("\n"));
}

main(process.argv.slice(2)).catch((error) => {
  if (isPermissionError(error)) error = new UserError(`Deno: ${error.message} (the README lists the permissions)`);
  if (!(error instanceof UserError)) throw error;
  console.error(`tutorial.ts: ${error.message}`);
  if (error instanceof UsageError) console.error("Run with --help for the options, --list for the lessons.");
  process.exit(error instanceof UsageError ? 2 : 1);
});
