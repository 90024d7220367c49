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
import type { Session } from "ssh2";
import type { Middleware } from "./lesson.ts";
import { onSession } from "./ssh2-hooks.ts";

type Log = (line: string) => void;
type Reject = (() => void) | undefined;

/** Adds a listener that refuses `event` (logged, if `log`) unless someone else listens too. */
function refuse(target: EventEmitter, event: string, describe: (...info: unknown[]) => string, log?: Log): void {
  target.on(event, (_accept: unknown, reject: Reject, ...info: unknown[]) => {
    if (target.listenerCount(event) > 1) return; // a lesson handles it
    log?.(`refused ${describe(...info)}`);
    reject?.();
  });
}

/** Refuses, and logs, what a connection may ask for beyond a session. */
export function refuseTheRest(): Middleware {
  return (next) => (client, context) => {
    const { log } = context;
    refuse(client, "tcpip", (info) => {
      const { destIP, destPort } = info as { destIP: string; destPort: number };
      return `port forwarding (direct-tcpip) to ${destIP}:${destPort}`;
    }, log);
    refuse(client, "openssh.streamlocal", (info) => {
      return `Unix socket forwarding to ${(info as { socketPath: string }).socketPath}`;
    }, log);
    refuse(client, "request", (name) => `global request ${name}`, log);
    onSession(client, (session) => refuseSessionExtras(session, log));
    next(client, context);
  };
}

/** Refuses, and logs, the session requests no lesson uses. */
export function refuseSessionExtras(session: Session, log: Log): void {
  refuse(session, "exec", (info) => `exec ${JSON.stringify((info as { command: string }).command)}`, log);
  refuse(session, "subsystem", (info) => `subsystem ${(info as { name: string }).name}`, log);
  refuse(session, "sftp", () => "subsystem sftp", log);
  refuse(session, "x11", () => "X11 forwarding", log);
  refuse(session, "auth-agent", () => "agent forwarding", log);
  // Refused as ssh2 would, without a log line: Debian's ssh sends LANG with every session.
  // Listening makes them visible to --trace.
  for (const quiet of ["env", "window-change", "signal"]) refuse(session, quiet, () => quiet);
}
