/**
 * `--fast`: the two speed tricks, off unless asked for (`npm run bench` shows what they save).
 *
 * - The host key is handed to Node's signer already parsed: ssh2 signs each handshake with
 *   the key's PEM text, so Node would parse the key again for every connection (0.7 ms of a
 *   1.4 ms set-up with ed25519).
 * - A tick's SSH packets leave in one write: ssh2 writes each packet on its own, and with
 *   Nagle off each write is a system call.
 *
 * Both reach into ssh2's and Node's objects, through ssh2-hooks.ts.
 *
 * @example
 * ```ts
 * import { fastKeys, fastSocket } from "./fast.ts";
 * fastKeys(loadHostKeys("keys"));
 * listen(server, connections, { host, port, prepare: fastSocket });
 * ```
 * @module
 */
import type { Socket } from "node:net";
import type { HostKey } from "../twisted/keys.ts";
import { coalesceWrites, signWithKeyObject } from "./ssh2-hooks.ts";

/** Signs with each key as a parsed KeyObject (the keys are shared with the lesson: keys.ts loads each once). */
export function fastKeys(hostKeys: HostKey[]): void {
  for (const { key } of hostKeys) signWithKeyObject(key);
}

/** Sends a tick's writes on `socket` as one. */
export function fastSocket(socket: Socket): void {
  coalesceWrites(socket);
}
