/**
 * The classroom figures (issue 13), each against a server process of its own, started as a
 * teacher would (`--class-password`, lesson 7, the chat room for the last one):
 *
 * - a class connecting at the same moment: how many are served, and the time until the last
 *   one has its banner;
 * - silent TCP sockets (that never send a byte) plus one real student: the student's time
 *   to log in and see the banner;
 * - the chat room with a lecture hall in it: the time from one member's Enter until each of
 *   the others has the line (p50 and p99 over every delivery), and until the last has it.
 *
 * @example
 * ```ts
 * import { measureClassroom } from "./classroom.ts";
 * const figures = await measureClassroom(["node", "--import", "tsx", "tutorial.ts", "--lesson", "7", "--port", "0"],
 *   process.cwd(), CLASSROOM_PLANS.quick, console.error);
 * ```
 * @module
 */
import type { Buffer } from "node:buffer";
import { connect, type Socket } from "node:net";
import { inParallel, openSession, type Session, type Target } from "./load.ts";
import { startServer } from "./server-process.ts";
import { percentile, type Summary, summarize } from "./stats.ts";

const WORD = "tulip";

/** How many of everything: the full run, and --quick. */
export const CLASSROOM_PLANS: Record<"full" | "quick", ClassroomPlan> = {
  full: { rounds: 3, class: 200, silent: 300, room: 200, lines: 20 },
  quick: { rounds: 1, class: 50, silent: 50, room: 20, lines: 5 },
};

export interface ClassroomPlan {
  rounds: number;
  /** Students connecting at once. */
  class: number;
  /** Silent sockets opened before the one real student. */
  silent: number;
  /** Members of the chat room, and the lines one of them sends. */
  room: number;
  lines: number;
}

export interface ClassroomFigures {
  plan: ClassroomPlan;
  /** All at once: served (of `class`), and the seconds until the last had its banner. */
  atOnce: { served: number; lastS: Summary };
  /** With `silent` sockets open: ms for one student to log in and get the banner. */
  silentThenStudent: { loginMs: Summary; silentStillOpen: number };
  /** One line to every other member: ms per delivery (p50, p99) and until the last one. */
  chat: { p50Ms: number; p99Ms: number; lastMs: Summary };
}

/** A student's target: their own name, the class password. */
const student = (port: number, name: string): Target => ({ host: "127.0.0.1", port, user: name, password: WORD });

/** Opens `count` TCP connections that never send a byte. */
async function silentSockets(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  await inParallel(count, 50, () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve());
      socket.once("error", reject);
      sockets.push(socket);
    }));
  return sockets;
}

/**
 * Measures the three figures; `command` starts our server (any further flags are added here).
 * `note` says what is being measured (on stderr).
 */
export async function measureClassroom(command: string[], cwd: string, plan: ClassroomPlan, note: (text: string) => void): Promise<ClassroomFigures> {
  const server = await startServer([...command, "--class-password", WORD], cwd);
  let atOnce: ClassroomFigures["atOnce"];
  let silentThenStudent: ClassroomFigures["silentThenStudent"];
  try {
    note(`classroom: ${plan.class} connecting at once`);
    const runs = [];
    for (let round = 0; round < plan.rounds; round++) {
      const started = performance.now();
      const sessions: Session[] = [];
      let served = 0;
      await inParallel(plan.class, plan.class, async (index) => {
        const session = await openSession(student(server.port, `s${index}`)).catch(() => undefined);
        if (!session) return;
        served++;
        sessions.push(session);
      });
      runs.push({ served, s: (performance.now() - started) / 1000 });
      await Promise.all(sessions.map((session) => session.close()));
    }
    atOnce = { served: Math.min(...runs.map((run) => run.served)), lastS: summarize(runs.map((run) => run.s)) };

    note(`classroom: ${plan.silent} silent sockets, then one student`);
    const logins: number[] = [];
    let silentStillOpen = plan.silent;
    for (let round = 0; round < plan.rounds; round++) {
      const silent = await silentSockets(server.port, plan.silent);
      const started = performance.now();
      const session = await openSession(student(server.port, "latecomer"));
      logins.push(performance.now() - started);
      silentStillOpen = Math.min(silentStillOpen, silent.filter((socket) => !socket.destroyed).length);
      await session.close();
      for (const socket of silent) socket.destroy();
    }
    silentThenStudent = { loginMs: summarize(logins), silentStillOpen };
  } finally {
    await server.stop();
  }

  const room = await startServer([...command, "--class-password", WORD, "--protocol", "lessons/protocols/chat-room.ts"], cwd);
  try {
    note(`classroom: the chat room with ${plan.room} members`);
    const members: { session: Session; arrived: (marker: string) => Promise<number> }[] = [];
    await inParallel(plan.room, 20, async (index) => {
      const session = await openSession(student(room.port, `m${index}`));
      // Each member notes when each marker arrives (the time of the chunk that completed it).
      let text = "";
      const waiting = new Map<string, (ms: number) => void>();
      session.channel.on("data", (chunk: Buffer) => {
        const at = performance.now();
        text = (text + chunk.toString("latin1")).slice(-4096);
        for (const [marker, done] of waiting) {
          if (!text.includes(marker)) continue;
          waiting.delete(marker);
          done(at);
        }
      });
      members.push({
        session,
        arrived: (marker) => new Promise<number>((resolve) => waiting.set(marker, resolve)),
      });
    });
    const [sender, ...others] = members;
    const deliveries: number[] = [];
    const lasts: number[] = [];
    for (let line = 0; line < plan.lines; line++) {
      const marker = `ping ${line} `;
      const arrivals = others.map((member) => member.arrived(marker));
      const sent = performance.now();
      sender.session.channel.write(`${marker}from the front row\r`);
      const times = (await Promise.all(arrivals)).map((at) => at - sent);
      deliveries.push(...times);
      lasts.push(Math.max(...times));
    }
    await Promise.all(members.map((member) => member.session.close()));
    return {
      plan,
      atOnce,
      silentThenStudent,
      chat: { p50Ms: percentile(deliveries, 0.5), p99Ms: percentile(deliveries, 0.99), lastMs: summarize(lasts) },
    };
  } finally {
    await room.stop();
  }
}

/** The figures as lines of text (the table under the main one). */
export function classroomTable(figures: ClassroomFigures, fmt: (value: number) => string, show: (summary: Summary) => string): string {
  const { plan, atOnce, silentThenStudent, chat } = figures;
  const rows: [string, string][] = [
    [`${plan.class} connecting at once: served`, `${atOnce.served} of ${plan.class}`],
    [`${plan.class} connecting at once: s until the last has its banner`, show(atOnce.lastS)],
    [`${plan.silent} silent sockets, then 1 student: ms to log in and get the banner`, show(silentThenStudent.loginMs)],
    [`${plan.silent} silent sockets: still open after that (none had to go)`, `${silentThenStudent.silentStillOpen} of ${plan.silent}`],
    [`chat room, ${plan.room} members: one line to the others, ms p50 / p99`, `${fmt(chat.p50Ms)} / ${fmt(chat.p99Ms)}`],
    [`chat room, ${plan.room} members: ms until the last has it (median [range] of ${plan.lines} lines)`, show(chat.lastMs)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return ["the classroom (median [min–max] over rounds)", ...rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`)].join("\n");
}
