/**
 * Limits on logging in, the same for every lesson, set on purpose against OpenSSH's sshd and
 * Twisted Conch (see the README's "Security" section):
 *
 * - each refused password costs a delay before the answer (Twisted: 1 s, `passwordDelay`);
 * - after `maxAuthTries` refused attempts the connection is cut (sshd: MaxAuthTries 6);
 * - a connection that has not logged in after `loginGraceMs` is cut (sshd: LoginGraceTime 120 s);
 * - at most `maxStartups` connections are in the SSH handshake at once; more wait their turn
 *   (sshd: MaxStartups 10:30:100, which refuses them instead).
 * The last two are kept by admission.ts, which sees connections before SSH does.
 *
 * The lessons only decide who may log in; this layer wraps their answers. Every refused attempt
 * is logged with the user name (the connection's log tag carries the address); never the password.
 *
 * @example
 * ```ts
 * import { limitLogins, DEFAULT_LOGIN_LIMITS } from "./login-limits.ts";
 * const layer = limitLogins(DEFAULT_LOGIN_LIMITS); // a Middleware, see stack.ts
 * ```
 * @module
 */
import type { AuthContext, Connection } from "ssh2";
import { isLoginName } from "../twisted/passwords.ts";
import type { Context, Middleware } from "./lesson.ts";
import { type Answers, onAuthentication, socketOf } from "./ssh2-hooks.ts";

export interface LoginLimits {
  /** How long to wait before refusing a wrong password or an unknown user, in ms. */
  passwordDelayMs: number;
  /** Refused attempts (not counting the client's initial "none" probe) before disconnecting. */
  maxAuthTries: number;
  /** How long a connection may take to log in, in ms. */
  loginGraceMs: number;
  /** How many connections may be in the SSH handshake at once; more wait (admission.ts). */
  maxStartups: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  passwordDelayMs: 1000,
  maxAuthTries: 6,
  loginGraceMs: 120_000,
  maxStartups: 64,
};

/**
 * The delay and the attempt limit on each connection's logins; each refusal logged. With
 * `classLogins` (`--class-password`), the line says when the name is no valid login name.
 */
export function limitLogins(limits: LoginLimits, classLogins = false): Middleware {
  // One answer for every connection of this server; each connection keeps only its Context
  // and its count of refusals, until it logs in.
  const limit = (attempt: AuthContext, { accept, reject }: Required<Answers>, client: Connection): Required<Answers> => ({
    accept: (...args) => {
      refusals.delete(client);
      return accept(...args);
    },
    reject: (...methods) => {
      // OpenSSH starts with "none" just to learn the methods; that is not a try.
      if (attempt.method === "none") return reject(...methods);
      const state = refusals.get(client);
      if (!state) return reject(...methods); // (after a login: nothing left to limit)
      state.failures += 1;
      const why = classLogins && !isLoginName(attempt.username) ? ": not a valid login name (letters, digits, _ or -, up to 32)" : "";
      state.context.log(`${attempt.method} login refused for ${JSON.stringify(attempt.username)} (${state.failures} of ${limits.maxAuthTries})${why}`);
      if (state.failures >= limits.maxAuthTries) {
        state.context.log("too many refused logins; disconnecting");
        client.end();
        return;
      }
      const answer = () => {
        if (!socketOf(client).destroyed) reject(...methods); // not once the connection is closed
      };
      if (limits.passwordDelayMs > 0) setTimeout(answer, limits.passwordDelayMs);
      else answer();
    },
  });
  return (next) => (client, context) => {
    refusals.set(client, { context, failures: 0 });
    onAuthentication(client, limit);
    next(client, context);
  };
}

/** Each connection still logging in: its Context, and how many of its attempts were refused. */
const refusals = new WeakMap<Connection, { context: Context; failures: number }>();
