/**
 * `npm test`'s runner: every `tests/*.test.ts` under node:test.
 *
 * A plain `node --test tests/*.test.ts` leaves the glob to the shell, and cmd.exe passes it on
 * unexpanded (Node 20's test runner takes no globs itself), so the files are listed here.
 * Names given on the command line narrow the run:
 *
 *   node --expose-gc --import tsx tests/run.ts            every suite
 *   node --expose-gc --import tsx tests/run.ts openssh    tests/openssh.test.ts only
 * @module
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runSuites } from "./helpers/run-suites.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith(".test.ts"))
  .filter((name) => wanted.length === 0 || wanted.some((part) => name.includes(part)))
  .sort()
  .map((name) => join(here, name));

if (files.length === 0) {
  console.error(`tests/run.ts: no test file matches ${wanted.join(" ")}`);
  process.exit(2);
}
runSuites(files);
