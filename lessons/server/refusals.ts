/**
 * Everything no lesson offers is refused, with one log line: port forwarding both ways
 * (direct-tcpip, tcpip-forward), Unix socket forwarding, other global requests, and on a
 * session exec, subsystems (sftp), X11 and agent forwarding; env, window-change and signal
 * quietly. ssh2 already refuses these when nothing listens; these listeners add the log line.
 * When a lesson (or a student) handles one of them itself, the refusal steps aside.
 *
 * @example
 * ```ts
 * import { refuseTheRest } from "./refusals.ts";
 * const layer = refuseTheRest(); // a Middleware, see stack.ts
 * ```
 * @module
 */
import type { EventEmitter } from "node:events";
import type { Connection, Session } from "ssh2";
import type { Middleware } from "./lesson.ts";
import { onSession } from "./ssh2-hooks.ts";

type Log = (line: string) => void;
type Reject = (() => void) | undefined;
type Describe = (info: unknown) => string;

/** Where each connection's and session's refusals are logged. */
const logs = new WeakMap<EventEmitter, Log>();

/**
 * The listener that refuses `event` (logged, if `describe`) unless someone else listens too.
 * One function per event, shared by every connection: nothing is allocated per connection.
 */
function refusal(event: string, describe?: Describe) {
  return function (this: EventEmitter, _accept: unknown, reject: Reject, info: unknown): void {
    if (this.listenerCount(event) > 1) return; // a lesson handles it
    if (describe) logs.get(this)?.(`refused ${describe(info)}`);
    reject?.();
  };
}

/** The events refused, each with its log line (none: refused quietly) and its listener. */
function refusals(list: [string, Describe?][]) {
  return list.map(([event, describe]) => [event, refusal(event, describe)] as const);
}

const CONNECTION_REFUSALS = refusals([
  ["tcpip", (info) => {
    const { destIP, destPort } = info as { destIP: string; destPort: number };
    return `port forwarding (direct-tcpip) to ${destIP}:${destPort}`;
  }],
  ["openssh.streamlocal", (info) => `Unix socket forwarding to ${(info as { socketPath: string }).socketPath}`],
  ["request", (name) => `global request ${name}`],
]);

const SESSION_REFUSALS = refusals([
  ["exec", (info) => `exec ${JSON.stringify((info as { command: string }).command)}`],
  ["subsystem", (info) => `subsystem ${(info as { name: string }).name}`],
  ["sftp", () => "subsystem sftp"],
  ["x11", () => "X11 forwarding"],
  ["auth-agent", () => "agent forwarding"],
  // Refused as ssh2 would, without a log line: Debian's ssh sends LANG with every session.
  // Listening makes them visible to --trace.
  ["env"],
  ["window-change"],
  ["signal"],
]);

/** Refuses, and logs, what a connection may ask for beyond a session. */
export function refuseTheRest(): Middleware {
  return (next) => (client, context) => {
    logs.set(client, context.log);
    for (const [event, listener] of CONNECTION_REFUSALS) client.on(event as "request", listener as never);
    onSession(client, refuseInSession);
    next(client, context);
  };
}

function refuseInSession(session: Session, client: Connection): void {
  refuseSessionExtras(session, logs.get(client)!);
}

/** Refuses, and logs, the session requests no lesson uses. */
export function refuseSessionExtras(session: Session, log: Log): void {
  logs.set(session, log);
  for (const [event, listener] of SESSION_REFUSALS) session.on(event as "exec", listener as never);
}
