/**
 * The door of a lesson's server: which TCP connections start their SSH handshake now, which
 * wait their turn, and which go. A classroom connects all at once, so nobody is turned away
 * for arriving in a crowd; and a pile of sockets that never say a word cannot hold the room.
 * (The README's "Security" section puts these rules beside OpenSSH's MaxStartups.)
 *
 * - **Slots.** At most `maxStartups` connections are in the SSH handshake at once (version
 *   lines and key exchange: the CPU-heavy part). Once its key exchange is done, a connection
 *   leaves its slot for the password prompt, where a student may type for a while.
 * - **The queue.** Everyone else waits, in arrival order, before any SSH work: the server says
 *   nothing to them yet. Not logged in at all (waiting, in a slot or at the prompt) may be at
 *   most {@link WAITING_PER_SLOT} × `maxStartups` connections (1024 by default), each with its
 *   own deadline: the login grace, counted from its arrival.
 * - **Silence is not a student.** A real SSH client sends its version line within milliseconds
 *   of connecting, so the first byte sorts the queue: connections that have spoken get the
 *   free slots first. Silent ones (`nc`, a client that waits for the server's line first, or
 *   a flood of idle sockets) get a slot only while no one who has spoken is waiting, and hold
 *   at most half of the slots, so the other half is always there for real clients. When the
 *   slots are full and someone who has spoken waits, a slot holder that has sent nothing for
 *   {@link SILENCE_MS} goes first, then one stuck in its handshake for {@link STALL_MS}.
 *   When the queue itself is full, the waiting connection that has been silent longest (at
 *   least {@link SILENCE_MS}) makes room for the newcomer; if there is none, the newcomer is
 *   turned away.
 *
 * @example
 * ```ts
 * import { Admission } from "./admission.ts";
 * const admission = new Admission(DEFAULT_LOGIN_LIMITS, console.error);
 * // each accepted socket: admission.arrive(socket, () => server.injectSocket(socket));
 * // among the layers around the lesson: admission.layer()
 * ```
 * @module
 */
import type { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { Connection } from "ssh2";
import type { Middleware } from "./lesson.ts";
import type { LoginLimits } from "./login-limits.ts";
import { endConnection } from "./connections.ts";
import { DISCONNECT_REASONS } from "./ssh-messages.ts";
import { onDisconnectSent, socketOf } from "./ssh2-hooks.ts";

/** A connection that has sent nothing for this long goes first: from a slot when others wait, or from a full queue. */
export const SILENCE_MS = 3000;
/** A slot holder still in its key exchange after this long goes next when others wait. */
export const STALL_MS = 10_000;
/** How many connections may be not yet logged in, per handshake slot. */
export const WAITING_PER_SLOT = 16;

/** SSH_MSG_DISCONNECT's "by application" (RFC 4253 §11.1): our own code ended it, after its log line. */
const BY_APPLICATION = 11;

type Stage = "waiting" | "handshake" | "prompt";

/** One connection that has not logged in yet. */
interface Entry {
  socket: Socket;
  from: string;
  arrived: number;
  stage: Stage;
  /** Whether it has sent a byte yet. */
  spoke: boolean;
  /** When it got its slot (the server's version line went out). */
  admitted: number;
  start: () => void;
  deadline: ReturnType<typeof setTimeout>;
  /** Set once this module ended it, so its close is not logged twice. */
  ended: boolean;
  /** While waiting: stops watching for its first byte. */
  stopListening?: () => void;
}

/** The connections from arrival to login: the queue, the slots, the deadlines; and the open ones. */
export class Admission {
  /** Every SSH connection not yet closed (logged in or not). */
  readonly open = new Set<Connection>();
  readonly #entries = new Map<Socket, Entry>(); // everyone not logged in yet
  /**
   * How the server ended a connection before its login, if not through this module:
   * "explained" when a log line already says why (an error: endOnError logs it; our own
   * end()), else the reason ssh2 gave in the DISCONNECT it sent by itself.
   */
  readonly #endings = new WeakMap<Socket, string>();
  readonly #waiting: Entry[] = []; // in arrival order
  #inHandshake = 0;
  #sweep: ReturnType<typeof setTimeout> | undefined;
  #queued = { count: 0, longestMs: 0 }; // since the queue last formed, for the log
  #closing = false;

  constructor(readonly limits: LoginLimits, readonly log: (line: string) => void) {}

  /** How many connections may be not yet logged in, all told. */
  get capacity(): number {
    return WAITING_PER_SLOT * this.limits.maxStartups;
  }

  /** How many slots connections that have sent nothing may hold: half, at least one. */
  get silentShare(): number {
    return Math.max(1, Math.floor(this.limits.maxStartups / 2));
  }

  /** How many connections are where, for the tests. */
  get counts(): { waiting: number; waitingSpoke: number; handshake: number; prompt: number } {
    const handshake = this.#inHandshake;
    const waiting = this.#waiting.length;
    const waitingSpoke = this.#waiting.filter((entry) => entry.spoke).length;
    return { waiting, waitingSpoke, handshake, prompt: this.#entries.size - waiting - handshake };
  }

  /** The layer that tells the door about each SSH connection: key exchange done, logged in, closed. */
  layer(): Middleware {
    // Listeners shared by every connection of this server (each gets its connection as `this`).
    const endings = this.#endings;
    const { open } = this;
    const errored = function (this: Connection) {
      endings.set(socketOf(this), "explained"); // endOnError logs it
    };
    const disconnected = (reason: number | undefined, client: Connection) => {
      const socket = socketOf(client);
      if (endings.has(socket)) return;
      const byUs = reason === undefined || reason === BY_APPLICATION;
      endings.set(socket, byUs ? "explained" : DISCONNECT_REASONS[reason] ?? `SSH disconnect reason ${reason}`);
    };
    const toPrompt = (client: Connection) => this.#toPrompt(socketOf(client));
    const loggedIn = (client: Connection) => this.#loggedIn(socketOf(client));
    const handshake = function (this: Connection) {
      toPrompt(this);
    };
    const ready = function (this: Connection) {
      loggedIn(this);
    };
    const closed = function (this: Connection) {
      open.delete(this);
    };
    return (next) => (client, context) => {
      open.add(client);
      client.on("error", errored);
      onDisconnectSent(client, disconnected);
      client.on("handshake", handshake); // ssh2 says "handshake" again at each rekey: #toPrompt ignores those
      client.on("ready", ready); // ssh2 says each once
      client.on("close", closed);
      next(client, context);
    };
  }

  /** A new TCP connection: `start` hands it to ssh2 once it has a slot. */
  arrive(socket: Socket, start: () => void): void {
    if (this.#closing) return void socket.destroy();
    const from = `[${socket.remoteAddress}:${socket.remotePort}]`;
    socket.on("error", () => {}); // a reset while waiting; once in ssh2, ssh2 reports errors
    if (this.#entries.size >= this.capacity && !this.#makeRoom()) {
      this.log(`${from} turned away: ${this.#entries.size} connections are not logged in yet, none of them silent for ${SILENCE_MS / 1000} s`);
      socket.destroy();
      return;
    }
    const entry: Entry = {
      socket,
      from,
      arrived: performance.now(),
      stage: "waiting",
      spoke: false,
      admitted: 0,
      start,
      ended: false,
      deadline: setTimeout(() => this.#end(entry, `did not log in within ${this.limits.loginGraceMs / 1000} s; disconnecting`), this.limits.loginGraceMs),
    };
    this.#entries.set(socket, entry);
    this.#waiting.push(entry);
    // Watch for the first byte without taking it: it goes back for ssh2 to read.
    const onFirstBytes = (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      entry.spoke = true;
      entry.stopListening = undefined;
      this.#pump();
    };
    socket.once("data", onFirstBytes);
    entry.stopListening = () => {
      socket.pause();
      socket.off("data", onFirstBytes);
    };
    socket.once("close", () => {
      if (this.#entries.get(socket) !== entry) return; // logged in
      const ending = this.#endings.get(socket);
      if (!entry.ended && ending !== "explained") {
        this.log(`${from} ${ending === undefined ? "left without logging in" : `cut off by ssh2 before logging in: ${ending}`}`);
      }
      this.#forget(entry);
      this.#pump();
    });
    this.#pump();
  }

  /** Ends every connection: those not logged in at once, the others with an SSH disconnect. */
  async closeAll(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#sweep);
    for (const entry of this.#entries.values()) {
      entry.ended = true;
      entry.socket.destroy();
    }
    await Promise.all([...this.open].map((client) =>
      new Promise<void>((resolve) => {
        client.once("close", () => resolve());
        endConnection(client);
        // A client that never answers the disconnect is cut off after a second.
        setTimeout(() => socketOf(client).destroy(), 1000).unref();
      })
    ));
  }

  /** Gives free slots to those waiting (those who have spoken first), and frees slots for them. */
  #pump(): void {
    if (this.#closing) return;
    while (this.#inHandshake < this.limits.maxStartups) {
      const next = this.#waiting.find((entry) => entry.spoke) ??
        (this.#silentInHandshake() < this.silentShare ? this.#waiting[0] : undefined);
      if (!next) break;
      this.#admit(next);
    }
    this.#noteQueue();
    this.#evictForSpeakers();
  }

  #admit(entry: Entry): void {
    this.#waiting.splice(this.#waiting.indexOf(entry), 1);
    entry.stopListening?.();
    entry.stopListening = undefined;
    entry.stage = "handshake";
    entry.admitted = performance.now();
    this.#inHandshake++;
    const waitedMs = entry.admitted - entry.arrived;
    if (this.#queued.count > 0) this.#queued.longestMs = Math.max(this.#queued.longestMs, waitedMs);
    if (!entry.spoke) {
      // ssh2 resumes the socket; this second listener only notes that the client spoke.
      entry.socket.once("data", () => {
        entry.spoke = true;
        this.#pump();
      });
    }
    entry.start();
  }

  /** When the slots are full and someone who has spoken waits: the silent go first, then the stalled. */
  #evictForSpeakers(): void {
    clearTimeout(this.#sweep);
    this.#sweep = undefined;
    const speakers = this.#waiting.filter((entry) => entry.spoke).length;
    if (speakers === 0 || this.#inHandshake < this.limits.maxStartups) return;
    const now = performance.now();
    const holders = [...this.#entries.values()]
      .filter((entry) => entry.stage === "handshake")
      .sort((a, b) => a.admitted - b.admitted);
    const rules = [
      { group: holders.filter((entry) => !entry.spoke), afterMs: SILENCE_MS, why: "sent nothing" },
      { group: holders.filter((entry) => entry.spoke), afterMs: STALL_MS, why: "was still in its handshake" },
    ];
    const victims: [Entry, string][] = [];
    let nextLookMs = Infinity;
    for (const { group, afterMs, why } of rules) {
      for (const entry of group) {
        const leftMs = entry.admitted + afterMs - now;
        if (leftMs > 0) {
          nextLookMs = Math.min(nextLookMs, leftMs);
          break; // the group is in admission order: the others have longer to go
        }
        if (victims.length < speakers) victims.push([entry, `${why} for ${afterMs / 1000} s while others waited; disconnected to make room`]);
      }
    }
    if (victims.length > 0) {
      for (const [entry, why] of victims) this.#end(entry, why, false);
      this.#pump();
    } else if (nextLookMs < Infinity) {
      this.#sweep = setTimeout(() => this.#pump(), Math.max(1, nextLookMs));
    }
  }

  /**
   * The queue is full: the waiting connection silent longest makes room, if it has been silent
   * for {@link SILENCE_MS} (one that just arrived may have its version line on the way). False
   * if there is none.
   */
  #makeRoom(): boolean {
    const silent = this.#waiting.find((entry) => !entry.spoke);
    if (!silent || performance.now() - silent.arrived < SILENCE_MS) return false;
    const seconds = ((performance.now() - silent.arrived) / 1000).toFixed(1);
    this.#end(silent, `sent nothing for ${seconds} s while waiting, and the queue is full; disconnected to make room`, false);
    return true;
  }

  #silentInHandshake(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.stage === "handshake" && !entry.spoke) count++;
    return count;
  }

  /** Its key exchange is done: off to the password prompt, and its slot is free. */
  #toPrompt(socket: Socket): void {
    const entry = this.#entries.get(socket);
    if (!entry || entry.stage !== "handshake") return;
    entry.stage = "prompt";
    this.#inHandshake--;
    this.#pump();
  }

  #loggedIn(socket: Socket): void {
    const entry = this.#entries.get(socket);
    if (!entry) return;
    this.#forget(entry);
    this.#pump();
  }

  /** Ends a connection that has not logged in, with one log line; then gives out the free slots. */
  #end(entry: Entry, why: string, pump = true): void {
    if (entry.ended) return;
    entry.ended = true;
    this.log(`${entry.from} ${why}`);
    this.#forget(entry);
    entry.socket.destroy();
    if (pump) this.#pump();
  }

  /** Stops counting a connection: logged in, gone, or ended. */
  #forget(entry: Entry): void {
    if (this.#entries.get(entry.socket) !== entry) return;
    this.#entries.delete(entry.socket);
    clearTimeout(entry.deadline);
    entry.stopListening?.();
    if (entry.stage === "waiting") this.#waiting.splice(this.#waiting.indexOf(entry), 1);
    if (entry.stage === "handshake") this.#inHandshake--;
  }

  /** One log line when a queue forms, and one when it is gone. */
  #noteQueue(): void {
    const waiting = this.#waiting.length;
    if (waiting > 0 && this.#queued.count === 0) {
      this.log(`connections are waiting their turn (${this.#inHandshake} of ${this.limits.maxStartups} handshake slots in use)`);
    }
    if (waiting > 0) this.#queued.count = Math.max(this.#queued.count, waiting);
    if (waiting === 0 && this.#queued.count > 0) {
      this.log(`nobody is waiting any more (up to ${this.#queued.count} waited at once; the longest ${(this.#queued.longestMs / 1000).toFixed(1)} s)`);
      this.#queued = { count: 0, longestMs: 0 };
    }
  }
}
