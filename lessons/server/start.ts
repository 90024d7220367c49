/**
 * Starting a lesson's server: `serveLesson` builds it (the lesson's `makeServer` with the
 * tutorial's layers) and listens; `runLesson` does that for a person at a terminal, with the
 * start-up banner, Ctrl-C, and one-line errors. `tutorial.ts --lesson N` and a lesson file
 * run on its own (`npx tsx lessons/05-input.ts`) both end up in `runLesson`.
 *
 * @example
 * ```ts
 * import { serveLesson } from "./start.ts";
 * import * as lesson from "../05-input.ts";
 * const server = await serveLesson(lesson, { host: "127.0.0.1", port: 0, keys: "keys" });
 * await server.close();
 * ```
 * @module
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { type HostKey, loadHostKeys } from "../twisted/keys.ts";
import { readPasswordFile } from "../twisted/passwords.ts";
import type { Address, Protocol } from "../twisted/protocol.ts";
import { Admission } from "./admission.ts";
import { ALGORITHMS } from "./algorithms.ts";
import { connectAddresses, isLoopback } from "./connect-addresses.ts";
import { checkListenPermission, isPermissionError } from "./deno-permissions.ts";
import type { LessonModule, Middleware, Setup } from "./lesson.ts";
import { listen } from "./listen.ts";
import { loadProtocol } from "./load-protocol.ts";
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from "./login-limits.ts";
import { type ServeFlags, UsageError } from "./options.ts";
import { tutorialLayers, wrapper } from "./stack.ts";
import type { TracePrint } from "./trace.ts";
import { UserError } from "./user-error.ts";
import { watchers } from "./watchers.ts";
import type { WireSink } from "./wire.ts";

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The folder with the host keys and ssh-passwords. */
  keys: string;
  /** Login limits; see login-limits.ts for the defaults and why. */
  limits?: Partial<LoginLimits>;
  /** With `--trace`: where each SSH event of each connection is printed. */
  trace?: TracePrint;
  /** With `--wire` or `--diagram`: where each SSH message of each connection goes. */
  wire?: WireSink;
  /** For lesson 7: the Protocol to serve instead of EchoProtocol. */
  makeProtocol?: () => Protocol;
  /** `--class-password`: a word any valid login name may log in with (see passwords.ts). */
  classPassword?: string;
  /** Where log lines go; stderr by default. */
  log?: (line: string) => void;
  /** More layers around the lesson, innermost (tests). */
  extra?: Middleware[];
}

export interface RunningLesson {
  /** The address actually bound (the real port when 0 was asked for). */
  address: Address;
  hostKeys: HostKey[];
  /** The door: who waits, who is in the handshake (admission.ts). */
  admission: Admission;
  /** Stops listening, ends every open connection, and resolves once they are gone. */
  close(): Promise<void>;
}

/** Builds `lesson`'s server with the tutorial's layers and listens; errors are {@link UserError}s. */
export async function serveLesson(lesson: LessonModule, options: ServeOptions): Promise<RunningLesson> {
  const { host, port, keys } = options;
  const log = options.log ?? logToStderr;
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...options.limits };
  if (!existsSync(keys)) throw new UserError(`${keys}: no such folder (it should hold ssh-passwords and the host key)`);
  const hostKeys = loadHostKeys(keys); // the same keys the lesson loads (keys.ts reads each once)
  const admission = new Admission(limits, log);
  const { classPassword } = options;
  const layers = tutorialLayers({
    admission, limits, trace: options.trace, wire: options.wire, extra: options.extra, classLogins: classPassword !== undefined,
  });
  const path = join(keys, "ssh-passwords");
  // The lessons read this with readPasswordFile: the class password rides along with the path.
  const passwordFile = classPassword === undefined ? path : { path, classPassword };
  const setup: Setup = { keys, passwordFile, algorithms: ALGORITHMS, wrap: wrapper(layers, log) };
  const server = lesson.makeServer(setup, options.makeProtocol);
  checkListenPermission(host, port);
  const listener = await listen(server, admission, { host, port });
  return { address: listener.address, hostKeys, admission, close: () => listener.close() };
}

/**
 * Serves `lesson` as a program: the banner, then until Ctrl-C (or SIGTERM). `program` names
 * the command in error messages.
 */
export async function runLesson(lesson: LessonModule, flags: ServeFlags): Promise<void> {
  const { article } = lesson;
  const { host, keys } = flags;
  if (flags.protocol !== undefined && article.number !== 7) {
    throw new UsageError(`--protocol works with lesson 7 (protocols), not with ${article.slug}`);
  }
  const custom = flags.protocol === undefined ? undefined : await loadProtocol(flags.protocol);
  const show = (path: string) => relative(process.cwd(), path) || path;
  const passwordFile = join(keys, "ssh-passwords");
  if (!isLoopback(host)) {
    const also = flags.classPassword === undefined ? "" : ", and so does the class password";
    console.error(`Warning: listening on ${host}, not only on this machine; the demo passwords in ${show(passwordFile)} let anyone who can reach it log in${also}.`);
  }
  const server = await serveLesson(lesson, {
    host,
    port: flags.port,
    keys,
    limits: flags.limits,
    ...watchers(flags, `Lesson ${article.number} (${article.slug})`), // --trace, --wire, --diagram
    makeProtocol: custom?.makeProtocol,
    classPassword: flags.classPassword,
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
  // Errors in a connection end that connection (connections.ts). Anything else, say a timer in
  // a student's code, is logged; the class goes on.
  process.on("uncaughtException", (error) => console.error(`unexpected error; still serving: ${error.stack}`));

  const { addresses, unlisted } = connectAddresses(host);
  const everywhere = !isLoopback(host) && addresses[0] !== host; // 0.0.0.0 or ::
  let demo = `password: see ${show(passwordFile)}`;
  try {
    if (readPasswordFile(passwordFile).check("alice", "goodpassword")) demo = "password: goodpassword";
  } catch { /* the lesson reads no password file */ }
  // --class-password: each student types their own name (lesson 1 still lets nobody in).
  const classLogins = flags.classPassword !== undefined && article.login === "password";
  const user = classLogins ? "yourname" : "alice";
  const login = article.login !== "password"
    ? `nobody can log in${flags.classPassword === undefined ? "" : ", not even with the class password"}: that is the lesson`
    : classLogins ? `class password: ${flags.classPassword}; yourname: letters, digits, _ or -, up to 32` : demo;
  console.log([
    `Lesson ${article.number}: ${article.slug}`,
    `  "${article.title}" (${article.date})`,
    `  ${article.url}`,
    ...(custom ? [`  serving ${flags.protocol}: its ${custom.name}`] : []),
    ``,
    `Listening on ${server.address.host}:${port}`,
    ...server.hostKeys.map((key) => `${key.label} key fingerprint is ${key.fingerprint}.  (${show(key.file)})`),
    `Connect:  ssh -p ${port} ${user}@${unlisted ? "<this machine's address>" : addresses[0]}    (${login})`,
    ...(unlisted ? [] : addresses.slice(1)).map((address) => `          ssh -p ${port} ${user}@${address}`),
    ...(unlisted ? [`          (${unlisted})`] : []),
    ...(everywhere ? [`          ssh -p ${port} ${user}@localhost    (from this machine)`] : []),
    ...(classLogins ? [`          (the users of ${show(passwordFile)} log in with their own passwords too)`] : []),
    `Then:     ${custom ? "your Protocol's connectionMade runs, then dataReceived for each key; leave with Enter ~." : article.tryThis}`,
    `Stop the server with Ctrl-C.`,
    ``,
  ].join("\n"));
}

/**
 * Runs `main`; a {@link UserError} (a person's mistake) becomes one line and exit status 1
 * (2 for a mistake in the flags), never a stack trace.
 */
export function asProgram(program: string, main: () => Promise<void>): void {
  // When our output is gone (the terminal closed, `| head` done), stop, as Unix tools do on
  // EPIPE. Without this, a server reporting the write error would fail again, and again, for
  // ever, and `diff 6 7 | head` would end in a stack trace.
  for (const output of [process.stdout, process.stderr]) output.on("error", () => process.exit(0));
  main().catch((error) => {
    if (isPermissionError(error)) error = new UserError(`Deno: ${error.message} (the README lists the permissions)`);
    if (!(error instanceof UserError)) throw error;
    console.error(`${program}: ${error.message}`);
    if (error instanceof UsageError) console.error("Run with --help for the options.");
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}

/** One log line on stderr, as console.error would write it, without its formatting work. */
function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
