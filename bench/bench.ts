/**
 * The benchmark: how many students, how fast, how much memory. It starts the lesson's server
 * in a process of its own (or measures any SSH echo server given with --target) and drives it
 * from this process with ssh2 clients, on loopback. Each figure is taken over several rounds
 * and reported as its median and range; the server's CPU and memory come from /proc. Then the
 * classroom (bench/classroom.ts): a class connecting at once, silent sockets, the chat room.
 *
 *   npm run bench                       the full run (about two minutes)
 *   npm run bench -- --quick            a small run, in seconds
 *   npm run bench -- --compare twisted  the same figures for the article's own program
 *                                       (needs Debian's python3-twisted), and ours/theirs
 *                                       against the goals
 *   npm run bench -- --compare twisted,unflagged
 *                                       also ours without the Node flags of .npmrc
 *   npm run bench -- --target 127.0.0.1:2022 --user alice --password goodpassword [--pid PID]
 *
 * The table goes to stdout, every number to bench/results.json (or --json FILE).
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CLASSROOM_PLANS, classroomTable, measureClassroom } from "./classroom.ts";
import { inParallel, openSession, paste, type Session, type Target } from "./load.ts";
import { cpuMsOf, rssKbOf, type ServerProcess, startServer } from "./server-process.ts";
import { percentile, type Summary, summarize } from "./stats.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MIB = 1024 * 1024;

/** How much of everything: the full run, and --quick. */
const PLANS = {
  full: { rounds: 3, setup: { 1: 500, 20: 1000 }, typing: [10, 100, 200], typingMs: 3000, pasteBytes: 10 * MIB, idle: [100, 500], churn: 5000 },
  quick: { rounds: 2, setup: { 1: 20, 20: 40 }, typing: [10, 50], typingMs: 1000, pasteBytes: 2 * MIB, idle: [20, 50], churn: 200 },
};
type Plan = typeof PLANS.full;

/** One server's figures. Null where the server's pid is unknown (CPU and memory). */
interface Figures {
  server: string;
  /** The Node options our server ran with (from .npmrc, as `npx tsx` and npm give them). */
  flags?: string;
  cipher: string;
  setup: Record<string, { sessionsPerSecond: Summary; cpuMsPerSession: Summary | null }>;
  typing: Record<string, { p50Ms: Summary; p99Ms: Summary }>;
  paste: Record<string, { mbPerSecond: Summary; cpuMsPerMb: Summary | null }>;
  memory: {
    startKb: number;
    idleKb: Record<string, number>;
    kbPerIdleSession: number;
    afterChurnKb: number;
    churned: number;
    /** The heap in use after a full collection, before and after the churn (ours only). */
    heapBeforeChurnKb?: number;
    heapAfterChurnKb?: number;
  } | null;
}

interface Measured {
  target: Target;
  pid?: number;
  label: string;
  flags?: string;
  /** Asks the server to collect its garbage (ours and the Twisted port answer SIGUSR2). */
  collectGarbage?: () => Promise<number | undefined>;
}

async function rounds<T>(count: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i++) results.push(await run());
  return results;
}

/** Wall time and server CPU around `work`. */
async function timed(pid: number | undefined, work: () => Promise<void>): Promise<{ ms: number; cpuMs: number | null }> {
  const cpu = pid ? cpuMsOf(pid) : 0;
  const started = performance.now();
  await work();
  return { ms: performance.now() - started, cpuMs: pid ? cpuMsOf(pid) - cpu : null };
}

const summaryOrNull = (values: (number | null)[]) =>
  values.every((value) => value !== null) ? summarize(values as number[]) : null;

async function measure({ target, pid, label, flags, collectGarbage }: Measured, plan: Plan): Promise<Figures> {
  const note = (text: string) => console.error(`  ${label}: ${text}`);
  const probe = await openSession(target);
  const cipher = probe.cipher;
  await probe.close();

  // 1. Memory first, on a server that has done little yet.
  let memory: Figures["memory"] = null;
  if (pid) {
    note("memory");
    const rss = async () => {
      await collectGarbage?.();
      return rssKbOf(pid);
    };
    const startKb = await rss();
    const idle: Session[] = [];
    const idleKb: Record<string, number> = {};
    for (const count of plan.idle) {
      await inParallel(count - idle.length, 20, async () => void idle.push(await openSession(target)));
      idleKb[count] = await rss();
    }
    const [fewer, more] = plan.idle;
    const kbPerIdleSession = (idleKb[more] - idleKb[fewer]) / (more - fewer);
    await Promise.all(idle.map((session) => session.close()));
    const heapBeforeChurnKb = await collectGarbage?.();
    await inParallel(plan.churn, 20, async () => {
      const session = await openSession(target);
      await session.echo("x");
      await session.close();
    });
    const afterChurnKb = await rss();
    const heapAfterChurnKb = await collectGarbage?.();
    memory = { startKb, idleKb, kbPerIdleSession, afterChurnKb, churned: plan.churn, heapBeforeChurnKb, heapAfterChurnKb };
  }

  // 2. Session set-up: connect, log in, pty, shell, banner, one echo, close.
  const setup: Figures["setup"] = {};
  for (const [concurrency, count] of Object.entries(plan.setup)) {
    note(`set-up, concurrency ${concurrency}`);
    const runs = await rounds(plan.rounds, () =>
      timed(pid, () =>
        inParallel(count, Number(concurrency), async () => {
          const session = await openSession(target);
          await session.echo("x");
          await session.close();
        })
      )
    );
    setup[concurrency] = {
      sessionsPerSecond: summarize(runs.map((run) => count / (run.ms / 1000))),
      cpuMsPerSession: summaryOrNull(runs.map((run) => (run.cpuMs === null ? null : run.cpuMs / count))),
    };
  }

  // 3. Typing: K sessions, each sending one byte every 50 ms.
  const typing: Figures["typing"] = {};
  for (const count of plan.typing) {
    note(`typing, ${count} sessions`);
    const sessions: Session[] = [];
    await inParallel(count, 20, async () => void sessions.push(await openSession(target)));
    const runs = await rounds(plan.rounds, async () => {
      const latencies: number[] = [];
      const until = performance.now() + plan.typingMs;
      await Promise.all(sessions.map(async (session, index) => {
        await new Promise((resolve) => setTimeout(resolve, (50 * index) / sessions.length)); // spread the starts
        while (performance.now() < until) {
          const started = performance.now();
          latencies.push(await session.echo("k"));
          const rest = 50 - (performance.now() - started);
          if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
        }
      }));
      return latencies;
    });
    await Promise.all(sessions.map((session) => session.close()));
    typing[count] = {
      p50Ms: summarize(runs.map((latencies) => percentile(latencies, 0.5))),
      p99Ms: summarize(runs.map((latencies) => percentile(latencies, 0.99))),
    };
  }

  // 4. Paste: the bytes through one session, and split over ten at once.
  const paste_: Figures["paste"] = {};
  for (const sessionsCount of [1, 10]) {
    note(`paste, ${sessionsCount} session(s)`);
    const sessions = await Promise.all(Array.from({ length: sessionsCount }, () => openSession(target)));
    const each = Math.floor(plan.pasteBytes / sessionsCount);
    const runs = await rounds(plan.rounds, () =>
      timed(pid, () =>
        Promise.all(sessions.map((session) => {
          const echoed = session.waitForEcho(each); // 'a' comes back as 'a' in the repr
          return paste(session.channel, 0x61, each).then(() => echoed);
        })).then(() => {})
      )
    );
    await Promise.all(sessions.map((session) => session.close()));
    const mb = (each * sessionsCount) / MIB;
    paste_[sessionsCount] = {
      mbPerSecond: summarize(runs.map((run) => mb / (run.ms / 1000))),
      cpuMsPerMb: summaryOrNull(runs.map((run) => (run.cpuMs === null ? null : run.cpuMs / mb))),
    };
  }
  return { server: label, flags, cipher, setup, typing, paste: paste_, memory };
}

// ---- the report ------------------------------------------------------------------------

const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const show = (summary: Summary | null | undefined) =>
  summary ? `${fmt(summary.median)} [${fmt(summary.min)}–${fmt(summary.max)}]` : "–";

/** The figures the issue sets goals for, as ours/Twisted. */
const GOALS: [string, (f: Figures) => number | undefined, number][] = [
  ["set-up, 1 at a time: server CPU per session", (f) => f.setup["1"]?.cpuMsPerSession?.median, 0.5],
  ["set-up, 20 at a time: server CPU per session", (f) => f.setup["20"]?.cpuMsPerSession?.median, 0.5],
  ["paste, 1 session: server CPU per MB", (f) => f.paste["1"]?.cpuMsPerMb?.median, 0.5],
  ["memory: KB per idle session", (f) => f.memory?.kbPerIdleSession, 1.5],
];

function table(figures: Figures[], plan: Plan, twisted: Figures | undefined): string {
  const rows: [string, (f: Figures) => Summary | null | undefined, string][] = [];
  for (const concurrency of Object.keys(plan.setup)) {
    rows.push([`set-up, concurrency ${concurrency}: sessions/s`, (f) => f.setup[concurrency]?.sessionsPerSecond, ""]);
    rows.push([`set-up, concurrency ${concurrency}: server CPU ms/session`, (f) => f.setup[concurrency]?.cpuMsPerSession, "≤ ½ Twisted"]);
  }
  for (const count of plan.typing) {
    rows.push([`typing, ${count} sessions: echo p50 ms`, (f) => f.typing[count]?.p50Ms, ""]);
    rows.push([`typing, ${count} sessions: echo p99 ms`, (f) => f.typing[count]?.p99Ms, count === 200 ? "< 2" : ""]);
  }
  for (const count of [1, 10]) {
    rows.push([`paste ${plan.pasteBytes / MIB} MiB, ${count} session(s): MB/s`, (f) => f.paste[count]?.mbPerSecond, ""]);
    rows.push([`paste ${plan.pasteBytes / MIB} MiB, ${count} session(s): server CPU ms/MB`, (f) => f.paste[count]?.cpuMsPerMb, count === 1 ? "≤ ½ Twisted" : ""]);
  }
  const one = (value: number | undefined) => (value === undefined ? null : { median: value, min: value, max: value });
  const memoryRow = (name: string, pick: (m: NonNullable<Figures["memory"]>) => number | undefined, target = "") =>
    rows.push([name, (f) => (f.memory ? one(pick(f.memory)) : null), target]);
  memoryRow("memory: server RSS at start, KB", (m) => m.startKb);
  for (const count of plan.idle) memoryRow(`memory: RSS with ${count} idle sessions, KB`, (m) => m.idleKb[count]);
  memoryRow("memory: KB per idle session", (m) => m.kbPerIdleSession, "≤ 1.5× Twisted");
  memoryRow(`memory: RSS after ${plan.churn} sessions came and went, KB`, (m) => m.afterChurnKb);
  memoryRow(`memory: heap after GC, before those ${plan.churn} sessions, KB`, (m) => m.heapBeforeChurnKb);
  memoryRow(`memory: heap after GC, after them, KB`, (m) => m.heapAfterChurnKb, "no growth");

  const ours = figures.filter((f) => f !== twisted);
  const header = ["figure (median [min–max])", ...figures.map((f) => f.server),
    ...(twisted ? ours.map((f) => ours.length > 1 ? `${f.server.split(" ")[0]}${f.flags ? " " + f.flags : ""}/Twisted` : "ours/Twisted") : []), "target"];
  const lines = rows.map(([name, pick, target]) => {
    const theirs = twisted ? pick(twisted) : undefined;
    const ratios = twisted ? ours.map((f) => {
      const value = pick(f);
      return value && theirs ? `${(value.median / theirs.median).toFixed(2)}×` : "–";
    }) : [];
    return [name, ...figures.map((f) => show(pick(f))), ...ratios, target];
  });
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => line[column].length)));
  const render = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join("  ");
  const ciphers = figures.map((f) => `${f.server}: ${f.cipher}`).join("; ");
  const out = [render(header), render(widths.map((w) => "-".repeat(w))), ...lines.map(render), "", `cipher agreed (client to server): ${ciphers}`];
  if (twisted) {
    out.push("", "The goals, ours/Twisted (medians):");
    for (const f of ours) {
      out.push(`  ${f.server}:`);
      for (const [name, pick, goal] of GOALS) {
        const [a, b] = [pick(f), pick(twisted)];
        const ratio = a !== undefined && b !== undefined ? a / b : undefined;
        const verdict = ratio === undefined ? "–" : ratio <= goal ? "met" : "not met";
        out.push(`    ${name.padEnd(46)} ${ratio === undefined ? "–" : `${ratio.toFixed(2)}×`.padStart(6)}  goal ≤ ${goal}×  ${verdict}`);
      }
    }
  }
  return out.join("\n");
}

/** The `node-options` line of an .npmrc (what npm puts in NODE_OPTIONS), or "". */
function nodeOptionsOf(npmrc: string): string {
  if (!existsSync(npmrc)) return "";
  return /^\s*node-options\s*=\s*(.*?)\s*$/m.exec(readFileSync(npmrc, "utf8"))?.[1] ?? "";
}

// ---- main --------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean" },
      lesson: { type: "string", default: "protocols" },
      target: { type: "string" },
      user: { type: "string", default: "alice" },
      password: { type: "string", default: "goodpassword" },
      pid: { type: "string" },
      compare: { type: "string" },
      json: { type: "string", default: "bench/results.json" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("Usage: npm run bench -- [--quick] [--lesson protocols] [--compare twisted,unflagged] [--json FILE]\n" +
      "                      [--target HOST:PORT --user U --password P [--pid PID]]");
    return;
  }
  const compare = new Set(values.compare?.split(",") ?? []);
  for (const name of compare) {
    if (!["twisted", "unflagged"].includes(name)) throw new Error(`--compare ${name}: only "twisted" and "unflagged" are known`);
  }
  const plan = values.quick ? PLANS.quick : PLANS.full;
  const started: ServerProcess[] = [];
  const measured: Figures[] = [];
  let twistedFigures: Figures | undefined;
  try {
    if (values.target) {
      const [host, port] = values.target.split(":");
      const target = { host, port: Number(port), user: values.user, password: values.password };
      measured.push(await measure({ target, pid: values.pid ? Number(values.pid) : undefined, label: values.target }, plan));
    } else {
      // Ours as a student runs it: with the Node options that .npmrc gives `npx tsx` and npm.
      // --compare unflagged: once more without those options.
      const studentFlags = nodeOptionsOf(join(ROOT, ".npmrc"));
      const ways = [studentFlags];
      if (compare.has("unflagged")) ways.push("");
      for (const flags of ways) {
        const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: flags };
        if (!flags) delete env.NODE_OPTIONS;
        const ours = await startServer([process.execPath, "--expose-gc", "--import", "tsx", "--import", "./bench/gc-on-signal.ts",
          "tutorial.ts", "--lesson", values.lesson, "--port", "0", "--password-delay", "0"], ROOT, env);
        started.push(ours);
        const target = { host: "127.0.0.1", port: ours.port, user: values.user, password: values.password };
        const label = `ssh2 (${values.lesson}, Node ${process.version}${flags ? `, ${flags}` : ", no flags"})`;
        measured.push(await measure({ target, pid: ours.pid, label, flags, collectGarbage: ours.collectGarbage }, plan));
        await ours.stop();
      }
    }
    if (compare.has("twisted")) {
      try {
        execFileSync("/usr/bin/python3", ["-c", "import twisted.conch"], { stdio: "ignore" });
      } catch {
        throw new Error("--compare twisted needs Debian's Twisted: sudo apt-get install python3-twisted");
      }
      const twisted = await startServer(["/usr/bin/python3", "bench/twisted_echo.py", "--port", "0", "--keys", "keys"], ROOT);
      started.push(twisted);
      const version = execFileSync("/usr/bin/python3", ["-c", "import twisted; print(twisted.__version__)"], { encoding: "utf8" }).trim();
      const target = { host: "127.0.0.1", port: twisted.port, user: values.user, password: values.password };
      const label = `Twisted ${version} (the seed)`;
      twistedFigures = await measure({ target, pid: twisted.pid, label, collectGarbage: twisted.collectGarbage }, plan);
      measured.push(twistedFigures);
    }
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
  // ---- the classroom (issue 13): bench/classroom.ts, ours only, as a teacher starts it ----
  const classroom = values.target ? undefined : await measureClassroom(
    [process.execPath, "--import", "tsx", "tutorial.ts", "--lesson", "protocols", "--port", "0"], ROOT,
    CLASSROOM_PLANS[values.quick ? "quick" : "full"], (text) => console.error(`  ${text}`));
  // ---- end of the classroom ----
  const machine = `${process.platform} ${process.arch}, ${(await import("node:os")).cpus().length} cores, Node ${process.version}`;
  console.log(`\n${machine}; ${values.quick ? "--quick" : "full run"}, ${plan.rounds} rounds each\n`);
  console.log(table(measured, plan, twistedFigures));
  if (classroom) console.log(`\n${classroomTable(classroom, fmt, show)}`);
  writeFileSync(values.json, JSON.stringify({ machine, plan, figures: measured, classroom }, null, 2) + "\n");
  console.log(`\nEvery number: ${values.json}`);
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
