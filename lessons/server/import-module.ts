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

/**
 * The module's exports; every problem is a one-line {@link UserError} that starts with `flag`
 * (what the person typed). A new `version` loads the file afresh (`verify --watch`, after a save).
 */
export async function importModule(flag: string, path: string, version?: number): Promise<Record<string, unknown>> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UserError(`${flag} ${path}: no such file`);
  try {
    return await import(pathToFileURL(file).href + (version ? `?v=${version}` : ""));
  } catch (error) {
    // esbuild (tsx) says "Transform failed with 1 error:" first; the line after it has the place and the reason.
    const lines = String((error as Error)?.message ?? error).split("\n").filter((line) => line.trim());
    const message = lines.find((line) => line.includes(": ERROR: ")) ?? lines[0] ?? "";
    throw new UserError(`${flag} ${path}: cannot be loaded: ${message.trim()}`);
  }
}
