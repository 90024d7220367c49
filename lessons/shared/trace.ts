/**
 * `--trace`: the SSH conversation of every connection, one line per event as it happens,
 * named the way the articles name them (`request_pty_req`, `dataReceived`, `eofReceived`,
 * `closed`, `connectionLost`). Each line starts with a tag, `#3` for the third connection
 * and `#3.0` for its first session channel, so thirty students can be told apart. Passwords
 * never appear.
 *
 * Not shown: requests and channel types that ssh2 refuses by itself before any code of ours
 * sees them (a session channel in lesson 2, an unknown channel type).
 *
 * @example
 * ```ts
 * import { traceConnection, tracePrinter } from "./trace.ts";
 * const print = tracePrinter(); // coloured on a terminal, unless NO_COLOR is set
 * traceConnection(client, 3, info, print);
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import type { EventEmitter } from "node:events";
import process from "node:process";
import type { AuthContext, ClientInfo, Connection, ServerChannel, Session } from "ssh2";
import { repr } from "./repr.ts";
import { onSession } from "./sessions.ts";

/** Prints one trace line: its tag, the event, and how it was answered (if it was). */
export type TracePrint = (tag: string, event: string, outcome?: "accepted" | "refused") => void;

/** Whether to colour the trace: only on a terminal, and never with NO_COLOR set. */
export function colourWanted(isTerminal: boolean, noColor: string | undefined): boolean {
  return isTerminal && (noColor === undefined || noColor === "");
}

/** A {@link TracePrint} writing to stdout, coloured as {@link colourWanted} says. */
export function tracePrinter(write: (line: string) => void = (line) => console.log(line)): TracePrint {
  const deno = (globalThis as { Deno?: { noColor: boolean } }).Deno;
  // Deno knows NO_COLOR without asking for the permission to read the environment.
  const noColor = deno ? (deno.noColor ? "1" : undefined) : process.env.NO_COLOR;
  const colour = colourWanted(Boolean(process.stdout.isTTY), noColor);
  const paint = (code: number, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  return (tag, event, outcome) => {
    const answer = outcome ? `: ${paint(outcome === "accepted" ? 32 : 31, outcome)}` : "";
    write(`${paint(2, tag.padEnd(6))} ${event}${answer}`);
  };
}

const SHOWN_BYTES = 32;

/** `5 bytes 'hello'`: a count, and the bytes as Python's repr, cut short when long. */
function bytes(data: string | Uint8Array): string {
  const buffer = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const shown = repr(buffer.subarray(0, SHOWN_BYTES)) + (buffer.length > SHOWN_BYTES ? "…" : "");
  return `${buffer.length} byte${buffer.length === 1 ? "" : "s"} ${shown}`;
}

/** Replaces `accept`/`reject` in an event's arguments with versions that print the answer. */
function answered(args: unknown[], print: (outcome: "accepted" | "refused") => void): unknown[] {
  type Answer = ((...answer: unknown[]) => unknown) | undefined;
  const [accept, reject, ...rest] = args as [Answer, Answer];
  return [
    accept && ((...answer: unknown[]) => {
      print("accepted");
      return accept(...answer);
    }),
    reject && ((...answer: unknown[]) => {
      print("refused");
      return reject(...answer);
    }),
    ...rest,
  ];
}

/** How each session request is named and described in the trace. */
const REQUESTS: Record<string, (info: Record<string, unknown>) => string> = {
  "pty": (info) => `request_pty_req ${repr(Buffer.from(String(info.term)))} ${info.cols}x${info.rows}`,
  "window-change": (info) => `request_window_change ${info.cols}x${info.rows}`,
  "env": (info) => `request_env ${info.key}=${info.val}`,
  "shell": () => "request_shell",
  "exec": (info) => `request_exec ${JSON.stringify(info.command)}`,
  "subsystem": (info) => `request_subsystem ${info.name}`,
  "sftp": () => "request_subsystem sftp",
  "x11": () => "request_x11_req",
  "auth-agent": () => "request_auth_agent_req",
  "signal": (info) => `request_signal ${info.name}`,
};

/** Traces one connection: its login, its sessions' requests and data, and its end. */
export function traceConnection(client: Connection, number: number, info: ClientInfo, print: TracePrint): void {
  const tag = `#${number}`;
  let failure: Error | undefined;
  print(tag, `connectionMade from ${info.ip}:${info.port} (${info.header.versions.software})`);
  client.on("handshake", (agreed) => {
    print(tag, `key exchange: ${agreed.kex}, host key ${agreed.serverHostKey}, cipher ${agreed.cs.cipher}`);
  });
  client.prependListener("authentication", (attempt: AuthContext) => {
    const what = `auth ${attempt.method} ${JSON.stringify(attempt.username)}`;
    const [accept, reject] = answered([attempt.accept, attempt.reject], (outcome) => print(tag, what, outcome));
    attempt.accept = (accept as typeof attempt.accept).bind(attempt);
    attempt.reject = (reject as typeof attempt.reject).bind(attempt);
  });
  client.on("error", (error) => (failure ??= error));
  client.on("close", () => print(tag, `connectionLost: ${failure ? failure.message : "closed cleanly"}`));

  let sessions = 0;
  onSession(client, (session) => {
    const channelTag = `${tag}.${sessions++}`;
    print(channelTag, "lookupChannel session", "accepted");
    traceRequests(session, channelTag, print);
    session.on("eof", () => print(channelTag, "eofReceived"));
    session.on("close", () => print(channelTag, "closeReceived"));
  });
}

/** Traces a session's requests (and, once a shell starts, its channel). */
function traceRequests(session: Session, tag: string, print: TracePrint): void {
  const emitter = session as unknown as EventEmitter;
  const emit = emitter.emit;
  emitter.emit = function (event: string | symbol, ...args: unknown[]): boolean {
    const describe = typeof event === "string" ? REQUESTS[event] : undefined;
    if (!describe) return emit.call(this, event, ...args);
    const what = describe((args[2] ?? {}) as Record<string, unknown>);
    if (args[0] === undefined && args[1] === undefined) print(tag, `${what} (no reply wanted)`);
    const traced = answered(args, (outcome) => print(tag, what, outcome));
    if (event === "shell" && traced[0]) {
      const accept = traced[0] as () => ServerChannel | undefined;
      traced[0] = () => {
        const channel = accept();
        if (channel) traceChannel(channel, tag, print);
        return channel;
      };
    }
    return emit.call(this, event, ...traced);
  };
}

/** Traces a shell's channel: data both ways, exit-status, the server's end, the close. */
function traceChannel(channel: ServerChannel, tag: string, print: TracePrint): void {
  const push = channel.push;
  channel.push = function (chunk: unknown, ...rest: unknown[]): boolean {
    if (chunk) print(tag, `dataReceived ${bytes(chunk as Uint8Array)}`);
    return push.call(this, chunk, ...(rest as []));
  };
  const write = channel.write;
  channel.write = function (this: ServerChannel, data: unknown, ...rest: unknown[]): boolean {
    if (typeof data === "string" || data instanceof Uint8Array) print(tag, `write ${bytes(data)}`);
    return (write as (...a: unknown[]) => boolean).call(this, data, ...rest);
  } as typeof channel.write;
  const exit = channel.exit;
  channel.exit = function (this: ServerChannel, ...args: unknown[]) {
    print(tag, typeof args[0] === "number" ? `exit-status ${args[0]}` : `exit-signal ${args[0]}`);
    return (exit as (...a: unknown[]) => void).apply(this, args);
  } as typeof channel.exit;
  channel.once("finish", () => print(tag, "loseConnection (EOF and close sent)"));
  channel.once("close", () => print(tag, "closed"));
}
