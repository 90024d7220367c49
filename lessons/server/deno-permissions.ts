/**
 * Under Deno, a permission the server was not given is a user's mistake, not a crash: these
 * turn it into one line that names the flag to add. Under Node they do nothing.
 *
 * @example
 * ```ts
 * import { checkListenPermission } from "./deno-permissions.ts";
 * checkListenPermission("127.0.0.1", 2022); // throws a UserError without --allow-net=127.0.0.1
 * ```
 * @module
 */
import { UserError } from "./user-error.ts";

interface DenoPermissions {
  permissions: { querySync(descriptor: { name: "net"; host: string }): { state: string } };
}

const deno = (globalThis as { Deno?: DenoPermissions }).Deno;

/**
 * Checks that Deno may listen on `host:port`. The check must come first: Deno reports a
 * refused listen as an uncaught exception that no caller could catch.
 */
export function checkListenPermission(host: string, port: number): void {
  if (!deno) return;
  const wanted = port === 0 ? host : `${host}:${port}`;
  if (deno.permissions.querySync({ name: "net", host: wanted }).state !== "granted") {
    throw new UserError(`Deno may not listen on ${wanted}: run it with --allow-net=${host}`);
  }
}

/** Whether `error` is Deno's "permission not granted" error (`Deno.errors.NotCapable`). */
export function isPermissionError(error: unknown): error is Error {
  return error instanceof Error && (error.name === "NotCapable" || error.name === "PermissionDenied");
}
