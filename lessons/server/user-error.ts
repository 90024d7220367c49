/**
 * A mistake the person running the tutorial can fix (a bad flag, a broken key file).
 * `tutorial.ts` prints its message as one line and exits non-zero, without a stack trace.
 *
 * @example
 * ```ts
 * import { UserError } from "./user-error.ts";
 * throw new UserError("keys/ssh-passwords:3: expected user:password");
 * ```
 * @module
 */
export class UserError extends Error {
  override name = "UserError";
}

/** A short reason for a system error: its code (`ENOENT`, `EACCES`), or else its message. */
export function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code ?? message ?? String(error);
}
