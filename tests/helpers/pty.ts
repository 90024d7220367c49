/**
 * A real pseudo-terminal for a command, the way a student's terminal runs `ssh`: Python's
 * `pty` module (tests/helpers/in-terminal.py, named so that it cannot shadow the module), which works on Linux and macOS alike.
 *
 * @example
 * ```ts
 * const child = spawnInTerminal("ssh", ["-p", "2022", "alice@localhost"], { cols: 80, rows: 24 });
 * child.stdin!.write("\r~.");
 * ```
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

const RELAY = fileURLToPath(new URL("./in-terminal.py", import.meta.url));

/** Why terminal tests cannot run here (no python3 with a `pty` module), or undefined. */
export const NO_TERMINAL: string | undefined = (() => {
  if (process.platform === "win32") return "no pseudo-terminals on Windows";
  const probe = spawnSync("python3", ["-c", "import pty, termios"], { stdio: "ignore", timeout: 10_000 });
  return probe.status === 0 ? undefined : "needs python3 with its pty module";
})();

/** Starts `command` in a new terminal of `cols` x `rows`; stdin is typed into it. */
export function spawnInTerminal(
  command: string,
  args: string[],
  { cols, rows, ...options }: { cols: number; rows: number } & SpawnOptions,
): ChildProcess {
  return spawn("python3", [RELAY, String(cols), String(rows), command, ...args], {
    ...options,
    stdio: ["pipe", "pipe", "pipe"],
  });
}
