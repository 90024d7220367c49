/**
 * `--fast`: the speed trick, off unless asked for (`npm run bench -- --compare fast` shows
 * what it saves). A tick's SSH packets leave in one write: ssh2 writes each packet on its
 * own, and with Nagle off each write is a system call. It reaches into Node's socket,
 * through ssh2-hooks.ts.
 *
 * (The other trick that lived here, signing with a parsed host key instead of its PEM text,
 * is now a fix in ssh2 itself: patches/ssh2+1.17.0+015+sign-with-parsed-key.patch.)
 *
 * @example
 * ```ts
 * import { fastSocket } from "./fast.ts";
 * listen(server, connections, { host, port, prepare: fastSocket });
 * ```
 * @module
 */
import type { Socket } from "node:net";
import { coalesceWrites } from "./ssh2-hooks.ts";

/** Sends a tick's writes on `socket` as one. */
export function fastSocket(socket: Socket): void {
  coalesceWrites(socket);
}
