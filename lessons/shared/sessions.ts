/**
 * Seeing each session a lesson accepts, from outside the lesson (for the refusals and the
 * trace). ssh2 hands the lesson an `accept()` that creates the Session, so the only place to
 * see it is on its way through the connection's `emit`; each watcher wraps that once more.
 *
 * @example
 * ```ts
 * import { onSession } from "./sessions.ts";
 * onSession(client, (session) => session.on("close", () => console.log("a session closed")));
 * ```
 * @module
 */
import type { EventEmitter } from "node:events";
import type { Connection, Session } from "ssh2";

/**
 * Calls `watch` with each session the lesson accepts on `client` (and the client, so that one
 * shared `watch` can serve every connection), before the lesson sees it.
 */
export function onSession(client: Connection, watch: (session: Session, client: Connection) => void): void {
  const emitter = client as unknown as EventEmitter;
  const emit = emitter.emit;
  emitter.emit = function (event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "session") return emit.call(this, event, ...args);
    const [accept, reject] = args as [() => Session | undefined, unknown];
    const acceptAndWatch = () => {
      const session = accept();
      if (session) watch(session, client);
      return session;
    };
    return emit.call(this, event, acceptAndWatch, reject);
  };
}
