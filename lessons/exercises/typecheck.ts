/**
 * Type-checks one student file with the project's own tsconfig.json and the installed
 * TypeScript compiler (the native `tsc` that `npm ci` puts in node_modules/@typescript/), so
 * `context.username` is a compiler's message before anything runs. The same under Node and
 * Deno: it runs the compiler's executable, not a script.
 *
 * @example
 * ```ts
 * const errors = await typeCheck("exercises/3.1-goodbye-by-name.ts");
 * if (errors) console.log(errors);
 * ```
 * @module
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { UserError } from "../server/user-error.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The native compiler that the `typescript` package (7 and later) installs for this platform. */
function compiler(): string {
  const exe = join(ROOT, "node_modules", "@typescript", `typescript-${process.platform}-${process.arch}`, "lib",
    process.platform === "win32" ? "tsc.exe" : "tsc");
  if (!existsSync(exe)) throw new UserError(`no TypeScript compiler at ${relative(process.cwd(), exe)}: run npm ci first`);
  return exe;
}

let configs = 0;

/** The compiler's messages for `file` (paths relative to the current folder), or undefined if it is clean. */
export async function typeCheck(file: string): Promise<string | undefined> {
  const cache = join(ROOT, "node_modules", ".cache", "ssh-in-60-seconds");
  mkdirSync(cache, { recursive: true });
  const config = join(cache, `tsconfig-${process.pid}-${++configs}.json`);
  // The project's options, for this one file (the project's own list of files left out). An
  // unused variable is left to the student's taste: half-done work should still run.
  const relaxed = { noUnusedLocals: false, noUnusedParameters: false };
  writeFileSync(config, JSON.stringify({ extends: join(ROOT, "tsconfig.json"), compilerOptions: relaxed, files: [resolve(file)], include: [] }));
  try {
    const output = await new Promise<string | undefined>((done, fail) => {
      execFile(compiler(), ["-p", config, "--pretty", "false"], { cwd: process.cwd(), windowsHide: true }, (error, stdout, stderr) => {
        if (!error) return done(undefined);
        const text = `${stdout}${stderr}`.trim();
        if (text === "") return fail(new UserError(`the TypeScript compiler failed: ${error.message}`));
        done(text);
      });
    });
    return output;
  } finally {
    rmSync(config, { force: true });
  }
}
