/**
 * A lesson's server inside the test process, for the tests that need to reach into it: its
 * log, its memory, its server-side channels, a Protocol of the test's own.
 *
 * @example
 * ```ts
 * const server = await serveInProcess(protocols, { makeProtocol: () => new QuietEcho() });
 * // ... connect to server.port, read server.log ...
 * await server.close();
 * ```
 * @module
 */
import { join } from "node:path";
import type { Connection, ServerChannel, Session } from "ssh2";
import * as protocols from "../../lessons/07-protocols.ts";
import type { Admission } from "../../lessons/server/admission.ts";
import type { LessonModule, Middleware } from "../../lessons/server/lesson.ts";
import type { LoginLimits } from "../../lessons/server/login-limits.ts";
import { onSession, onShell } from "../../lessons/server/ssh2-hooks.ts";
import { serveLesson } from "../../lessons/server/start.ts";
import type { Protocol } from "../../lessons/twisted/protocol.ts";
import { ROOT } from "./lesson-process.ts";

export { protocols };

/** Lesson 7's EchoProtocol without its "Connection lost" line (thousands would flood the output). */
export class QuietEcho extends protocols.EchoProtocol {
  override connectionLost(): void {}
}

export interface InProcessServer {
  port: number;
  /** Who waits, who is in the handshake. */
  admission: Admission;
  /** The server's log lines so far. */
  log: string[];
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** For lesson 7: the Protocol to serve. */
  makeProtocol?: () => Protocol;
  /** Sees each shell's server-side channel as the lesson accepts it. */
  onShell?: (channel: ServerChannel, session: Session) => void;
  /** Sees each SSH connection before the lesson does. */
  onConnection?: (client: Connection) => void;
  /** Login limits other than the defaults (the password delay is 0 unless given). */
  limits?: Partial<LoginLimits>;
  /** `--class-password`. */
  classPassword?: string;
}

/** A lesson with the options to serve it with (see {@link protocolLesson}). */
export interface LessonChoice extends InProcessOptions {
  lesson: LessonModule;
}

/** Lesson 7 serving `makeProtocol()` instead of EchoProtocol; `onShell` sees each shell's channel. */
export function protocolLesson(makeProtocol: () => Protocol, onShell?: InProcessOptions["onShell"]): LessonChoice {
  return { lesson: protocols, makeProtocol, onShell };
}

/** Serves `lesson` on a free loopback port in this process, with no password delay. */
export async function serveInProcess(choice: LessonModule | LessonChoice, options: InProcessOptions = {}): Promise<InProcessServer> {
  const { lesson, makeProtocol, onShell: watch, onConnection, limits, classPassword } = "lesson" in choice ? { ...options, ...choice } : { lesson: choice, ...options };
  const log: string[] = [];
  // A layer of the test's own, innermost: it sees each connection and each shell's channel.
  const shells: Middleware = (next) => (client, context) => {
    onConnection?.(client);
    if (watch) onSession(client, (session) => onShell(session, (channel) => watch(channel, session)));
    next(client, context);
  };
  const server = await serveLesson(lesson, {
    host: "127.0.0.1",
    port: 0,
    keys: join(ROOT, "keys"),
    limits: { passwordDelayMs: 0, ...limits },
    classPassword,
    log: (line) => log.push(line),
    makeProtocol,
    extra: [shells],
  });
  return { port: server.address.port, admission: server.admission, log, close: () => server.close() };
}
