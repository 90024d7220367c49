/**
 * The Node flag of .npmrc (--max-semi-space-size=4, README "Performance") reaches a student
 * who types `npx tsx tutorial.ts ...` without typing it: npm passes it as NODE_OPTIONS.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import process from "node:process";
import { promisify } from "node:util";
import { ROOT, TIMEOUT_MS, UNDER_DENO } from "./helpers/lesson-process.ts";

test("npx tsx runs with the .npmrc's Node options", { skip: UNDER_DENO && "about npx and Node" }, async () => {
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // as in a student's shell
  const { stdout } = await promisify(execFile)(npx, ["tsx", "--eval", "console.log(process.env.NODE_OPTIONS)"], {
    cwd: ROOT,
    env,
    timeout: 3 * TIMEOUT_MS,
    shell: process.platform === "win32",
  });
  assert.equal(stdout.trim(), "--max-semi-space-size=4");
});
