/**
 * Runs test files under node:test, four at a time, each in a child process with this
 * process's flags (`--import tsx`, `--expose-gc`), reporting as `node --test` does; the exit
 * status is 1 when a test fails.
 * @module
 */
import process from "node:process";
import { run } from "node:test";
import { spec } from "node:test/reporters";

export function runSuites(files: string[]): void {
  run({ files, concurrency: 4 })
    .on("test:fail", () => {
      process.exitCode = 1;
    })
    .compose(new spec())
    .pipe(process.stdout);
}
