/**
 * The benchmark script runs and reports every figure (`--quick`). Its numbers are not
 * checked here: speed and memory targets live in the benchmark, never in a timed test.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { ROOT, UNDER_DENO } from "./helpers/lesson-process.ts";

test("npm run bench -- --quick measures every figure", { skip: UNDER_DENO && "the benchmark drives Node" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const json = join(dir, "results.json");
    const child = spawn(process.execPath, ["--import", "tsx", "bench/bench.ts", "--quick", "--json", json], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    // --quick takes some seconds; a minute is the bound.
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const code = await new Promise((resolve) => child.once("close", resolve)).finally(() => clearTimeout(timer));
    assert.equal(code, 0, output);
    const { figures, classroom } = JSON.parse(readFileSync(json, "utf8"));
    const [ours] = figures;
    assert.deepEqual(Object.keys(ours.setup), ["1", "20"]);
    assert.ok(ours.setup["20"].cpuMsPerSession.median > 0);
    assert.ok(ours.typing["10"].p99Ms.median > 0);
    assert.ok(ours.paste["1"].mbPerSecond.median > 0);
    assert.ok(ours.memory.kbPerIdleSession !== undefined);
    assert.match(output, /memory: KB per idle session/);
    assert.equal(classroom.atOnce.served, classroom.plan.class);
    assert.ok(classroom.silentThenStudent.loginMs.median > 0);
    assert.ok(classroom.chat.p99Ms > 0);
    assert.match(output, /chat room, \d+ members: one line to the others, ms p50 \/ p99/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
