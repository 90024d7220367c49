/**
 * Writing to a channel without letting a slow reader fill the server's memory. The lessons
 * just write, as the articles' `self.write` does; ssh2 sends what the client's window allows
 * and keeps the rest. This layer bounds the rest:
 *
 * - When more than {@link PAUSE_INPUT_AT} waits for a client, the server stops reading that
 *   client's input until it has gone out. ssh2 stops opening the client's window while input is
 *   not read, so a client that sends without reading has to wait too: an echo loses nothing.
 * - Output that does not come from the client's own input (a chat room's lines, written to
 *   every member) can still pile up for a client that reads nothing. Beyond
 *   {@link SKIP_OUTPUT_AT} waiting, further writes to that client are skipped, one log line
 *   says so, and once it has caught up it gets a notice of what it missed: so one member's full
 *   window never slows the others or grows the server without bound.
 *
 * @example
 * ```ts
 * import { flowControl } from "./flow-control.ts";
 * const layer = flowControl(); // a Middleware, see stack.ts
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import type { Middleware } from "./lesson.ts";
import { afterPendingWrites, onSession, onShell, watchChannel } from "./ssh2-hooks.ts";

/** Output waiting for a client beyond which its input is not read. */
export const PAUSE_INPUT_AT = 64 * 1024;
/** Output waiting for a client beyond which more is skipped (well above an echo's worst case). */
export const SKIP_OUTPUT_AT = 256 * 1024;

export function flowControl(): Middleware {
  return (next) => (client, context) => {
    onSession(client, (session) =>
      onShell(session, (channel) => {
        let skipped = { writes: 0, bytes: 0 };
        let waiting = false;
        /** Once what waits has gone out: read input again, and say what was skipped. */
        const whenCaughtUp = () => {
          if (waiting) return;
          waiting = true;
          afterPendingWrites(channel, () => {
            waiting = false;
            if (channel.isPaused()) channel.resume();
            if (skipped.writes === 0) return;
            const { writes, bytes } = skipped;
            skipped = { writes: 0, bytes: 0 };
            context.log(`caught up; ${writes} writes (${kb(bytes)}) were skipped`);
            if (channel.writable) channel.write(`\r\n* ${writes} writes (${kb(bytes)}) skipped while you were not reading\r\n`);
          });
        };
        watchChannel(channel, {
          skip(data) {
            if (channel.writableLength < SKIP_OUTPUT_AT) return false;
            if (skipped.writes === 0) context.log(`not reading its output (${kb(channel.writableLength)} waiting); skipping writes until it catches up`);
            skipped.writes++;
            skipped.bytes += typeof data === "string" ? Buffer.byteLength(data) : data.length;
            whenCaughtUp();
            return true;
          },
          wrote() {
            if (channel.writableLength < PAUSE_INPUT_AT || channel.isPaused()) return;
            channel.pause();
            whenCaughtUp();
          },
        });
      }));
    next(client, context);
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
