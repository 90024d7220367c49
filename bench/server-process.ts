/**
 * The server under test, in a process of its own, and what the kernel says it costs: CPU
 * time (utime + stime from /proc/PID/stat) and resident memory (VmRSS from /proc/PID/status).
 * Reading /proc for the server's pid counts the server alone, never the load generator.
 *
 * @example
 * ```ts
 * import { startServer } from "./server-process.ts";
 * const server = await startServer(["node", "--import", "tsx", "tutorial.ts", "--lesson", "7", "--port", "0"]);
 * const cpu = server.cpuMs(); // ... work ... server.cpuMs() - cpu
 * await server.stop();
 * ```
 * @module
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

export interface ServerProcess {
  pid: number;
  port: number;
  /** CPU time used so far (user + system), in ms. */
  cpuMs(): number;
  /** Resident memory now, in KB. */
  rssKb(): number;
  /**
   * Asks the server for a full garbage collection (SIGUSR2), waits until it is done, and
   * resolves with the heap in use after it, in KB, if the server said (ours does).
   */
  collectGarbage(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * CPU ms of any process by pid, user and system: the sum over its threads of the time each
 * spent on a CPU (/proc/PID/task/TID/schedstat, in ns), or, where the kernel keeps no
 * schedstat, utime + stime from /proc/PID/stat (10 ms resolution).
 */
export function cpuMsOf(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // a thread that ended meanwhile
      }
    }
    if (ns > 0) return ns / 1e6;
  } catch {
    // no schedstat here
  }
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime, stime
}

/** Resident memory of any process by pid, in KB. */
export function rssKbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

/**
 * Starts `command` (with `env`, or this process's environment) and waits (at most 20 s) for it to print `Listening on <host>:<port>` or,
 * for other servers, `listening on port <port>`.
 */
export function startServer(command: string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(command[0], command.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no "listening" line within 20 s:\n${output}`)), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (?:\S+:|port )(\d+)/i.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off("data", onOutput);
      child.stderr!.off("data", onOutput);
      // Keep draining (a server blocked on its stdout would skew the figures), and watch for
      // the garbage collector's answers.
      let collected: ((heapKb: number | undefined) => void) | undefined;
      child.stdout!.on("data", (chunk: Buffer) => {
        const answer = /\[bench\] gc \w+(?: heap=(\d+))?/.exec(chunk.toString());
        if (answer) collected?.(answer[1] === undefined ? undefined : Number(answer[1]));
      });
      child.stderr!.resume();
      resolve({
        pid: child.pid!,
        port: Number(match[1]),
        cpuMs: () => cpuMsOf(child.pid!),
        rssKb: () => rssKbOf(child.pid!),
        collectGarbage: () =>
          new Promise<number | undefined>((done, failed) => {
            const timer = setTimeout(() => failed(new Error("the server did not answer SIGUSR2 within 10 s")), 10_000);
            collected = (heapKb) => {
              clearTimeout(timer);
              collected = undefined;
              done(heapKb);
            };
            child.kill("SIGUSR2");
          }),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 3000).unref();
          }),
      });
    };
    child.stdout!.on("data", onOutput);
    child.stderr!.on("data", onOutput);
    child.once("exit", (code) => fail(new Error(`server exited with ${code}:\n${output}`)));
  });
}
