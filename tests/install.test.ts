/**
 * `npm ci` on a student's laptop: the lock file must name every platform's binaries, and no
 * install script may fail for want of one. Nothing here runs macOS or Windows, so npm is asked
 * what it would install there (`npm install --dry-run --os --cpu`), from a copy of
 * package.json and package-lock.json alone.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, describe, test } from "node:test";
import { ROOT, UNDER_DENO } from "./helpers/lesson-process.ts";

const PLATFORMS = [["darwin", "arm64"], ["darwin", "x64"], ["win32", "x64"], ["linux", "arm64"]] as const;

interface LockEntry {
  optional?: boolean;
  hasInstallScript?: boolean;
}
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockEntry>;
};

/**
 * Every package with an install script, and what its script needs on a platform. A new one
 * fails the last test below until someone has read its script and added it here.
 */
const INSTALL_SCRIPTS: Record<string, (os: string, cpu: string) => string | undefined> = {
  // postinstall checks that its platform's binary package is there.
  esbuild: (os, cpu) => `@esbuild/${os}-${cpu}`,
  // Builds ssh2's optional native crypto add-on; install.js reports a failed build and exits 0.
  ssh2: () => undefined,
  // ssh2's optional dependency: a failed build skips it (lock: optional).
  "cpu-features": () => undefined,
};

const copy = mkdtempSync(join(tmpdir(), "install-"));
for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(ROOT, file), join(copy, file));
after(() => rmSync(copy, { recursive: true, force: true }));

/** The packages (name@version) `npm ci` would add on that platform. */
function wouldAdd(os: string, cpu: string): string[] {
  const run = spawnSync("npm", ["install", "--dry-run", `--os=${os}`, `--cpu=${cpu}`, "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: copy,
    encoding: "utf8",
    timeout: 120_000,
    shell: process.platform === "win32", // npm is npm.cmd there
  });
  assert.equal(run.status, 0, `npm install --dry-run --os=${os} --cpu=${cpu}: ${run.stderr}`);
  return [...run.stdout.matchAll(/^add (\S+) (\S+)$/gm)].map(([, name, version]) => `${name}@${version}`);
}

describe("npm ci on every student's platform", { skip: UNDER_DENO && "npm is Node's installer" }, () => {
  for (const [os, cpu] of PLATFORMS) {
    test(`${os}-${cpu}: esbuild's and TypeScript's binaries, no Deno, every install script served`, () => {
      const added = wouldAdd(os, cpu).map((spec) => spec.replace(/@[^@]+$/, ""));
      assert.ok(added.includes("tsx") && added.includes("ssh2"), `tsx and ssh2 are installed: ${added.join(", ")}`);
      assert.ok(added.includes(`@typescript/typescript-${os}-${cpu}`), `TypeScript's ${os}-${cpu} binary`);
      assert.deepEqual(added.filter((name) => name === "deno" || name.startsWith("@deno/")), [], "no Deno binary");
      for (const [path, entry] of Object.entries(lock.packages)) {
        const name = path.replace(/^.*node_modules\//, "");
        if (!entry.hasInstallScript || !added.includes(name)) continue;
        const needs = INSTALL_SCRIPTS[name]?.(os, cpu);
        if (needs) assert.ok(added.includes(needs), `${name}'s install script needs ${needs}`);
      }
    });
  }

  test("every package with an install script has been reviewed", () => {
    const scripted = Object.entries(lock.packages)
      .filter(([path, entry]) => entry.hasInstallScript && path !== "") // "": ours, patch-package
      .map(([path]) => path.replace(/^.*node_modules\//, ""));
    assert.deepEqual(scripted.filter((name) => !(name in INSTALL_SCRIPTS)), []);
  });
});
