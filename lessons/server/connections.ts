/**
 * The tutorial's outermost layers: every connection is logged in and out, an error ends its
 * own connection with one log line (never the server), and each login is one log line.
 *
 * @example
 * ```ts
 * import { endOnError, logLogins } from "./connections.ts";
 * const layers = [endOnError(), logLogins()]; // Middlewares, see stack.ts
 * ```
 * @module
 */
import type { AuthContext, Connection } from "ssh2";
import type { Context, Middleware } from "./lesson.ts";
import { type Answers, noDelay, onAuthentication, socketOf } from "./ssh2-hooks.ts";

/**
 * Every error ends its own connection with one line, and only that connection: ssh2's errors,
 * and exceptions thrown by the lesson's handlers (ssh2 catches those and reports them here).
 */
export function endOnError(): Middleware {
  return (next) => (client, context) => {
    noDelay(client); // without this, Nagle's algorithm holds a small write (an echo) ~40 ms
    contexts.set(client, context);
    client.on("error", endOnFirstError);
    next(client, context);
  };
}

// The layers here keep nothing per connection but its Context (and a mark once it failed):
// their listeners and answers are shared functions that find the connection's Context here.
const contexts = new WeakMap<Connection, Context>();
const failed = new WeakSet<Connection>();

/** The first error is the reason; what may follow it (a reset socket) is its echo. */
function endOnFirstError(this: Connection, error: Error): void {
  if (failed.has(this)) return;
  failed.add(this);
  const where = thrownAt(error);
  contexts.get(this)!.log(where ? `error in the lesson's code: ${error} (${where})` : error.message);
  endConnection(this);
}

/**
 * Ends a connection whatever state ssh2 is in. After a fatal error ssh2 has already sent its
 * DISCONNECT and closed its zlib streams, and `end()` throws (`Invalid Zlib instance`) when
 * compression is on; then the socket is closed instead.
 */
export function endConnection(client: Connection): void {
  try {
    client.end();
  } catch {
    socketOf(client).destroy();
  }
}

/** Where an exception was thrown, if that was outside ssh2 and Node (so in a lesson). */
function thrownAt(error: Error): string | undefined {
  const frame = error.stack?.split("\n").map((line) => line.trim()).find((line) => line.startsWith("at "));
  if (!frame || /node_modules|node:|ext:/.test(frame)) return undefined;
  return frame;
}

/** Notes the login name in the context (Twisted's avatar id) and logs one line per login. */
export function logLogins(): Middleware {
  return (next) => (client, context) => {
    contexts.set(client, context);
    onAuthentication(client, noteLogin);
    next(client, context);
  };
}

function noteLogin(attempt: AuthContext, { accept, reject }: Required<Answers>, client: Connection): Required<Answers> {
  return {
    accept: () => {
      const context = contexts.get(client)!;
      context.user = attempt.username;
      context.log(`${attempt.username} logged in with ${attempt.method} (${context.info.header.versions.software})`);
      return accept();
    },
    reject,
  };
}
