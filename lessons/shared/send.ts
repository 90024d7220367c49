/**
 * Writing to a channel without letting a slow reader fill the server's memory. When the
 * client does not read, ssh2's write buffer fills and `write()` returns false; we then stop
 * reading the client's input until the buffer has drained. ssh2 stops opening the client's
 * window while input is not read, so the client has to wait too: nothing is lost, and
 * nothing piles up.
 *
 * @example
 * ```ts
 * import { send } from "./send.ts";
 * channel.on("data", (bytes) => send(channel, bytes)); // an echo that respects a slow reader
 * ```
 * @module
 */
import type { Channel } from "ssh2";

/** Writes `data`; if the client is behind, pauses the channel's input until it catches up. */
export function send(channel: Channel, data: string | Uint8Array): void {
  if (channel.write(data)) return;
  if (channel.isPaused()) return; // already waiting for "drain"
  channel.pause();
  channel.once("drain", () => channel.resume());
}
