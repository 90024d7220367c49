/**
 * Writing to a channel without letting a slow reader fill the server's memory. When the
 * client does not read, ssh2's write buffer fills and `write()` returns false; this layer then
 * stops reading the client's input until the buffer has drained. ssh2 stops opening the
 * client's window while input is not read, so the client has to wait too: nothing is lost,
 * and nothing piles up. The lessons just write, as the articles' `self.write` does.
 *
 * @example
 * ```ts
 * import { flowControl } from "./flow-control.ts";
 * const layer = flowControl(); // a Middleware, see stack.ts
 * ```
 * @module
 */
import type { Middleware } from "./lesson.ts";
import type { ServerChannel, Session } from "ssh2";
import { type ChannelWatch, onSession, onShell, watchChannel } from "./ssh2-hooks.ts";

export function flowControl(): Middleware {
  return (next) => (client, context) => {
    onSession(client, watchShell);
    next(client, context);
  };
}

// Shared by every connection: nothing is made per connection or channel but ssh2-hooks' records.
function watchShell(session: Session): void {
  onShell(session, watchWrites);
}

function watchWrites(channel: ServerChannel): void {
  watchChannel(channel, FLOW);
}

const FLOW: ChannelWatch = {
  wrote(_data, belowLimit, channel) {
    if (belowLimit || channel.isPaused()) return; // fine, or already waiting for "drain"
    channel.pause();
    channel.once("drain", resume);
  },
};

function resume(this: ServerChannel): void {
  this.resume();
}
