/**
 * `--trace`: the SSH conversation of every connection, one line per event as it happens,
 * named the way the articles name them (`request_pty_req`, `dataReceived`, `eofReceived`,
 * `closed`, `connectionLost`). Each line starts with a tag, `#3` for the third connection
 * and `#3.0` for its first session channel, so thirty students can be told apart. Passwords
 * never appear.
 *
 * Not shown: requests and channel types that ssh2 refuses by itself before any code of ours
 * sees them (a session channel in lesson 2, an unknown channel type); `--wire` (wire.ts) shows
 * those, message by message.
 *
 * @example
 * ```ts
 * import { traceEvents, tracePrinter } from "./trace.ts";
 * const layer = traceEvents(tracePrinter()); // a Middleware, see stack.ts; coloured on a terminal
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import type { Middleware } from "./lesson.ts";
import { type Answers, onAuthentication, onRequest, onSession, onShell, watchChannel } from "./ssh2-hooks.ts";
import { colourStdout, painter, printable } from "./terminal-text.ts";
import { repr } from "../twisted/repr.ts";

/** Prints one trace line: its tag, the event, and how it was answered (if it was). */
export type TracePrint = (tag: string, event: string, outcome?: "accepted" | "refused") => void;

/** A {@link TracePrint} writing to stdout, coloured as {@link colourStdout} says. */
export function tracePrinter(write: (line: string) => void = (line) => console.log(line)): TracePrint {
  const paint = painter(colourStdout());
  return (tag, event, outcome) => {
    const answer = outcome ? `: ${paint(outcome === "accepted" ? 32 : 31, outcome)}` : "";
    write(`${paint(2, tag.padEnd(6))} ${printable(event)}${answer}`); // the client's words, never its control codes
  };
}

const SHOWN_BYTES = 32;

/** `5 bytes 'hello'`: a count, and the bytes as Python's repr, cut short when long. */
function bytes(data: string | Uint8Array): string {
  const buffer = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const shown = repr(buffer.subarray(0, SHOWN_BYTES)) + (buffer.length > SHOWN_BYTES ? "…" : "");
  return `${buffer.length} byte${buffer.length === 1 ? "" : "s"} ${shown}`;
}

/** The same answers, printing which one was given. */
function answered<T extends Answers>({ accept, reject }: T, print: (outcome: "accepted" | "refused") => void): T {
  return {
    accept: accept && ((...answer: never[]) => {
      print("accepted");
      return accept(...answer);
    }),
    reject: reject && ((...answer: never[]) => {
      print("refused");
      return reject(...answer);
    }),
  } as T;
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

/** Traces each connection: its login, its sessions' requests and data, and its end. */
export function traceEvents(print: TracePrint): Middleware {
  return (next) => (client, context) => {
    const tag = `#${context.number}`;
    const { info } = context;
    let failure: Error | undefined;
    print(tag, `connectionMade from ${info.ip}:${info.port} (${info.header.versions.software})`);
    client.on("handshake", (agreed) => {
      print(tag, `key exchange: ${agreed.kex}, host key ${agreed.serverHostKey}, cipher ${agreed.cs.cipher}`);
    });
    onAuthentication(client, (attempt, answers) =>
      answered(answers, (outcome) => print(tag, `auth ${attempt.method} ${JSON.stringify(attempt.username)}`, outcome)));
    client.on("error", (error) => (failure ??= error));
    client.on("close", () => print(tag, `connectionLost: ${failure ? failure.message : "closed cleanly"}`));

    let sessions = 0;
    onSession(client, (session) => {
      const channelTag = `${tag}.${sessions++}`;
      print(channelTag, "lookupChannel session", "accepted");
      onRequest(session, (name, details, answers) => {
        const what = (REQUESTS[name] ?? (() => name))(details);
        if (!answers.accept && !answers.reject) print(channelTag, `${what} (no reply wanted)`);
        return answered(answers, (outcome) => print(channelTag, what, outcome));
      });
      onShell(session, (channel) => {
        watchChannel(channel, {
          received: (data) => print(channelTag, `dataReceived ${bytes(data)}`),
          wrote: (data) => print(channelTag, `write ${bytes(data)}`),
          exited: (status) => print(channelTag, typeof status === "number" ? `exit-status ${status}` : `exit-signal ${status}`),
        });
        channel.once("finish", () => print(channelTag, "loseConnection (EOF and close sent)"));
        channel.once("close", () => print(channelTag, "closed"));
      });
      session.on("eof", () => print(channelTag, "eofReceived"));
      session.on("close", () => print(channelTag, "closeReceived"));
    });
    next(client, context);
  };
}
