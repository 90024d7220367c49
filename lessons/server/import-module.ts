/**
 * Imports a student's module at run time (`--lesson <file>`, `--protocol <module>`): a
 * missing file, or one that does not compile, is one line naming the flag and the file.
 *
 * @example
 * ```ts
 * import { importModule } from "./import-module.ts";
 * const module = await importModule("--protocol", "lessons/protocols/chat-room.ts");
 * ```
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UserError } from "./user-error.ts";

/** The module's exports; every problem is a one-line {@link UserError}. */
export async function importModule(flag: string, path: string): Promise<Record<string, unknown>> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UserError(`${flag} ${path}: no such file`);
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n").find((line) => line.trim()) ?? "";
    throw new UserError(`${flag} ${path}: cannot be loaded: ${message.trim()}`);
  }
}
