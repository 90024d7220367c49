/**
 * The one place that reaches into ssh2's and Node's objects. ssh2 hands a lesson its answers
 * (`accept`, `reject`) and its channels directly, so a layer of the tutorial that wants to see
 * or change them (the login limits, the trace, the refusals, flow control) has no public hook;
 * these functions make one each, by wrapping `emit` or a method of that one object, and
 * nothing else in lessons/ does so. `tests/ssh2-hooks.test.ts` checks every assumption
 * made here against the installed ssh2 and fails, naming it, if a release changes one.
 *
 * @example
 * ```ts
 * import { onSession, onShell, watchChannel } from "./ssh2-hooks.ts";
 * onSession(client, (session) =>
 *   onShell(session, (channel) => watchChannel(channel, { received: (data) => console.log(data.length) })));
 * ```
 * @module
 */
import type { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import process from "node:process";
import type { AuthContext, Connection, ServerChannel, Session } from "ssh2";

/** How an event is answered: ssh2's accept and reject, either undefined when no reply is wanted. */
export interface Answers {
  accept?: (...args: never[]) => unknown;
  reject?: (...args: never[]) => unknown;
}

type Rewrite = (event: string | symbol, args: unknown[]) => unknown[];
const rewrites = new WeakMap<EventEmitter, Rewrite[]>();

/** Lets `rewrite` change an event's arguments before any listener sees them (in the order added). */
function beforeListeners(emitter: EventEmitter, rewrite: Rewrite): void {
  let chain = rewrites.get(emitter);
  if (!chain) {
    const all: Rewrite[] = (chain = []);
    rewrites.set(emitter, all);
    const emit = emitter.emit;
    emitter.emit = function (this: EventEmitter, event: string | symbol, ...args: unknown[]): boolean {
      for (const each of all) args = each(event, args);
      return emit.call(this, event, ...args);
    };
  }
  chain.push(rewrite);
}

/** Each login attempt, before the lesson answers it: `wrap` returns the answers the lesson will call. */
export function onAuthentication(client: Connection, wrap: (attempt: AuthContext, answers: Required<Answers>) => Required<Answers>): void {
  beforeListeners(client as unknown as EventEmitter, (event, args) => {
    if (event !== "authentication") return args;
    const attempt = args[0] as AuthContext;
    const answers = wrap(attempt, { accept: attempt.accept.bind(attempt), reject: attempt.reject.bind(attempt) });
    attempt.accept = answers.accept as AuthContext["accept"];
    attempt.reject = answers.reject as AuthContext["reject"];
    return args;
  });
}

/**
 * Each session channel the lesson accepts, handed to `watch` before the lesson sees it (with
 * the client, so that one shared `watch` can serve every connection).
 */
export function onSession(client: Connection, watch: (session: Session, client: Connection) => void): void {
  beforeListeners(client as unknown as EventEmitter, (event, args) => {
    if (event !== "session") return args;
    const [accept, reject] = args as [() => Session | undefined, unknown];
    const acceptAndWatch = () => {
      const session = accept();
      if (session) watch(session, client);
      return session;
    };
    return [acceptAndWatch, reject];
  });
}

/**
 * Each request on a session ("pty", "shell", "env", ...), before the lesson answers it: `wrap`
 * gets the request's name, its details and its answers, and returns the answers the lesson gets.
 */
export function onRequest(session: Session, wrap: (name: string, info: Record<string, unknown>, answers: Answers) => Answers): void {
  beforeListeners(session as unknown as EventEmitter, (event, args) => {
    if (typeof event !== "string" || !REQUESTS.has(event)) return args;
    const [accept, reject, info, ...rest] = args as [Answers["accept"], Answers["reject"], Record<string, unknown>];
    const answers = wrap(event, info ?? {}, { accept, reject });
    return [answers.accept, answers.reject, info, ...rest];
  });
}

/** The session requests ssh2 emits with (accept, reject, info). */
const REQUESTS = new Set(["pty", "window-change", "x11", "env", "signal", "auth-agent", "shell", "exec", "sftp", "subsystem"]);

/** The shell's channel, once the lesson has accepted the shell request, before it writes. */
export function onShell(session: Session, watch: (channel: ServerChannel) => void): void {
  onRequest(session, (name, _info, answers) => {
    const accept = answers.accept as (() => ServerChannel | undefined) | undefined;
    if (name !== "shell" || !accept) return answers;
    return {
      ...answers,
      accept: () => {
        const channel = accept();
        if (channel) watch(channel);
        return channel;
      },
    };
  });
}

/** What can be seen of a channel's traffic. */
export interface ChannelWatch {
  /** A chunk of the client's data, as ssh2 hands it to the channel (before "data" listeners). */
  received?(data: Uint8Array): void;
  /** A write by the lesson, and whether the channel took it without going over its buffer. */
  wrote?(data: string | Uint8Array, belowLimit: boolean): void;
  /** exit-status (a number) or exit-signal (a name), before it is sent. */
  exited?(statusOrSignal: number | string): void;
}

/** Watches a channel's data both ways and its exit status. */
export function watchChannel(channel: ServerChannel, watch: ChannelWatch): void {
  const raw = channel as unknown as Record<"push" | "write" | "exit", (...args: unknown[]) => unknown>;
  if (watch.received) {
    const push = raw.push;
    raw.push = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
      if (chunk) watch.received!(chunk as Uint8Array);
      return push.call(this, chunk, ...rest);
    };
  }
  if (watch.wrote) {
    const write = raw.write;
    raw.write = function (this: unknown, data: unknown, ...rest: unknown[]) {
      const belowLimit = write.call(this, data, ...rest) as boolean;
      if (typeof data === "string" || data instanceof Uint8Array) watch.wrote!(data, belowLimit);
      return belowLimit;
    };
  }
  if (watch.exited) {
    const exit = raw.exit;
    raw.exit = function (this: unknown, ...args: unknown[]) {
      watch.exited!(args[0] as number | string);
      return exit.apply(this, args);
    };
  }
}

/** The TCP socket under an ssh2 connection (ssh2 keeps it as `_sock`). */
export function socketOf(client: Connection): Socket {
  return (client as unknown as { _sock: Socket })._sock;
}

/**
 * Each SSH_MSG_DISCONNECT the server sends on `client`, with its reason code (RFC 4253 §11.1):
 * ssh2 sends one by itself for a step of the protocol it does not allow, and one (reason 11,
 * "by application") when our code ends the connection.
 */
export function onDisconnectSent(client: Connection, watch: (reason: number | undefined) => void): void {
  const protocol = (client as unknown as { _protocol: { disconnect(reason?: number): unknown } })._protocol;
  const disconnect = protocol.disconnect;
  protocol.disconnect = function (this: unknown, reason?: number) {
    watch(reason);
    return disconnect.call(this, reason);
  };
}

/** Sends small writes (a banner, an echo) at once: turns Nagle's algorithm off (~40 ms otherwise). */
export function noDelay(client: Connection): void {
  (client as unknown as { setNoDelay(noDelay: boolean): unknown }).setNoDelay(true);
}

/**
 * ssh2 writes each SSH packet to the socket on its own, and with Nagle off each write is a
 * system call. Corking the socket until the end of the current tick sends a tick's packets
 * in one call.
 */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: unknown[]): boolean {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof socket.write;
}
