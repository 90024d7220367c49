/**
 * `npm run exercise <lesson number> [your file]`: checks one lesson's exercise against your
 * copy of the lesson, or against the reference solution when no file is given. The same
 * command works in bash, zsh, PowerShell and cmd:
 *
 *   npm run exercise 3 lessons/my-channel.ts
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runSuites } from "./helpers/run-suites.ts";

const USAGE = "usage: npm run exercise <lesson number 1-7> [your file, e.g. lessons/my-channel.ts]";
const [number, file, ...extra] = process.argv.slice(2);

function fail(message: string): never {
  console.error(`npm run exercise: ${message}\n${USAGE}`);
  process.exit(2);
}

if (number === undefined || !/^[1-7]$/.test(number)) {
  fail(number === undefined ? "which exercise?" : `no exercise ${JSON.stringify(number)}; the exercises are 1 to 7`);
}
if (extra.length > 0) fail(`one file only, not ${extra.join(" ")}`);
if (file !== undefined && !existsSync(file)) fail(`${file}: no such file`);

// The checks read their choice from the environment of the test process they run in.
process.env.EXERCISE = number;
if (file !== undefined) process.env.EXERCISE_FILE = resolve(file);
runSuites([fileURLToPath(new URL("./exercises.test.ts", import.meta.url))]);
