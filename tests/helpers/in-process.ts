/**
 * A lesson's server inside the test process, for the tests that need to reach into it: a
 * lesson assembled from the lessons' parts, its log, its memory.
 *
 * @example
 * ```ts
 * const server = await serveInProcess(protocols);
 * // ... connect to server.port, read server.log ...
 * await server.close();
 * ```
 * @module
 */
import { join } from "node:path";
import type { ServerChannel, Session } from "ssh2";
import { password } from "../../lessons/02-password.ts";
import { acceptShells } from "../../lessons/04-pty.ts";
import { connectProtocol, EchoProtocol, type Protocol, protocols } from "../../lessons/07-protocols.ts";
import { loadHostKeys } from "../../lessons/shared/host-keys.ts";
import type { Lesson } from "../../lessons/shared/lesson.ts";
import { readPasswordFile } from "../../lessons/shared/password-file.ts";
import { serveLesson } from "../../lessons/shared/serve.ts";
import { ROOT } from "./lesson-process.ts";

/** Lesson 7's EchoProtocol without its "Connection lost" line (thousands would flood the output). */
export class QuietEcho extends EchoProtocol {
  override connectionLost(): void {}
}

export interface InProcessServer {
  port: number;
  /** The server's log lines so far. */
  log: string[];
  close(): Promise<void>;
}

/** Serves `lesson` on a free loopback port in this process, with no password delay. */
export async function serveInProcess(lesson: Lesson): Promise<InProcessServer> {
  const log: string[] = [];
  const keys = join(ROOT, "keys");
  const server = await serveLesson({
    lesson,
    host: "127.0.0.1",
    port: 0,
    hostKeys: loadHostKeys(keys),
    passwords: await readPasswordFile(join(keys, "ssh-passwords")),
    limits: { passwordDelayMs: 0 },
    log: (line) => log.push(line),
  });
  return { port: server.address.port, log, close: () => server.close() };
}

/**
 * Lesson 7 serving `makeProtocol()` instead of EchoProtocol; `onShell` sees each shell's
 * server-side channel.
 */
export function protocolLesson(
  makeProtocol: () => Protocol,
  onShell: (channel: ServerChannel, session: Session) => void = () => {},
): Lesson {
  return {
    ...protocols,
    serve(client, context) {
      password.serve(client, context);
      acceptShells(client, (channel, _terminal, session) => {
        onShell(channel, session);
        connectProtocol(makeProtocol(), { client, channel, session, context });
      });
    },
  };
}
