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
import type { AuthContext, Connection, ServerChannel, Session } from "ssh2";

/** How an event is answered: ssh2's accept and reject, either undefined when no reply is wanted. */
export interface Answers {
  accept?: (...args: never[]) => unknown;
  reject?: (...args: never[]) => unknown;
}

/** Changes an event's arguments; gets the emitter, so that one function can serve them all. */
type Rewrite = (event: string | symbol, args: unknown[], emitter: EventEmitter) => unknown[];
const hooked = new WeakMap<EventEmitter, { emit: EventEmitter["emit"]; rewrites: Rewrite[] }>();

/** The `emit` of every hooked emitter: one function, the emitter's own rewrites in `hooked`. */
function emitRewritten(this: EventEmitter, event: string | symbol, ...args: unknown[]): boolean {
  const { emit, rewrites } = hooked.get(this)!;
  for (const rewrite of rewrites) args = rewrite(event, args, this);
  return emit.call(this, event, ...args);
}

/** Lets `rewrite` change an event's arguments before any listener sees them (in the order added). */
function beforeListeners(emitter: EventEmitter, rewrite: Rewrite): void {
  const hooks = hooked.get(emitter);
  if (hooks) return void hooks.rewrites.push(rewrite);
  hooked.set(emitter, { emit: emitter.emit, rewrites: [rewrite] });
  emitter.emit = emitRewritten;
}

/**
 * The one Rewrite for each function a layer hands in: a layer that passes a shared function
 * (one per server, not per connection) makes no closure per connection here either.
 */
function sharedRewrite<F extends object>(cache: WeakMap<F, Rewrite>, handler: F, make: (handler: F) => Rewrite): Rewrite {
  let rewrite = cache.get(handler);
  if (!rewrite) cache.set(handler, (rewrite = make(handler)));
  return rewrite;
}

type AuthenticationWrap = (attempt: AuthContext, answers: Required<Answers>, client: Connection) => Required<Answers>;
const authenticationRewrites = new WeakMap<AuthenticationWrap, Rewrite>();

/** Each login attempt, before the lesson answers it: `wrap` returns the answers the lesson will call. */
export function onAuthentication(client: Connection, wrap: AuthenticationWrap): void {
  beforeListeners(client as unknown as EventEmitter, sharedRewrite(authenticationRewrites, wrap, () => (event, args, emitter) => {
    if (event !== "authentication") return args;
    const attempt = args[0] as AuthContext;
    const answers = wrap(attempt, { accept: attempt.accept.bind(attempt), reject: attempt.reject.bind(attempt) }, emitter as unknown as Connection);
    attempt.accept = answers.accept as AuthContext["accept"];
    attempt.reject = answers.reject as AuthContext["reject"];
    return args;
  }));
}

/**
 * Each session channel the lesson accepts, handed to `watch` before the lesson sees it (with
 * the client, so that one shared `watch` can serve every connection).
 */
export function onSession(client: Connection, watch: (session: Session, client: Connection) => void): void {
  beforeListeners(client as unknown as EventEmitter, sharedRewrite(sessionRewrites, watch, () => (event, args, emitter) => {
    if (event !== "session") return args;
    const [accept, reject] = args as [() => Session | undefined, unknown];
    const acceptAndWatch = () => {
      const session = accept();
      if (session) watch(session, emitter as unknown as Connection);
      return session;
    };
    return [acceptAndWatch, reject];
  }));
}
const sessionRewrites = new WeakMap<(session: Session, client: Connection) => void, Rewrite>();

type RequestWrap = (name: string, info: Record<string, unknown>, answers: Answers, session: Session) => Answers;
const requestRewrites = new WeakMap<RequestWrap, Rewrite>();

/**
 * Each request on a session ("pty", "shell", "env", ...), before the lesson answers it: `wrap`
 * gets the request's name, its details and its answers, and returns the answers the lesson gets.
 */
export function onRequest(session: Session, wrap: RequestWrap): void {
  beforeListeners(session as unknown as EventEmitter, sharedRewrite(requestRewrites, wrap, () => (event, args, emitter) => {
    if (typeof event !== "string" || !REQUESTS.has(event)) return args;
    const [accept, reject, info, ...rest] = args as [Answers["accept"], Answers["reject"], Record<string, unknown>];
    const answers = wrap(event, info ?? {}, { accept, reject }, emitter as unknown as Session);
    return [answers.accept, answers.reject, info, ...rest];
  }));
}

/** The session requests ssh2 emits with (accept, reject, info). */
const REQUESTS = new Set(["pty", "window-change", "x11", "env", "signal", "auth-agent", "shell", "exec", "sftp", "subsystem"]);

/** The shell's channel, once the lesson has accepted the shell request, before it writes. */
export function onShell(session: Session, watch: (channel: ServerChannel, session: Session) => void): void {
  let wrap = shellWraps.get(watch);
  if (!wrap) {
    wrap = (name, _info, answers, session) => {
      const accept = answers.accept as (() => ServerChannel | undefined) | undefined;
      if (name !== "shell" || !accept) return answers;
      return {
        ...answers,
        accept: () => {
          const channel = accept();
          if (channel) watch(channel, session);
          return channel;
        },
      };
    };
    shellWraps.set(watch, wrap);
  }
  onRequest(session, wrap);
}
const shellWraps = new WeakMap<(channel: ServerChannel, session: Session) => void, RequestWrap>();

/** What can be seen of a channel's traffic (each with the channel, so one watch can serve all). */
export interface ChannelWatch {
  /** A chunk of the client's data, as ssh2 hands it to the channel (before "data" listeners). */
  received?(data: Uint8Array, channel: ServerChannel): void;
  /** A write by the lesson, and whether the channel took it without going over its buffer. */
  wrote?(data: string | Uint8Array, belowLimit: boolean, channel: ServerChannel): void;
  /** exit-status (a number) or exit-signal (a name), before it is sent. */
  exited?(statusOrSignal: number | string, channel: ServerChannel): void;
}

type ChannelMethod = (this: ServerChannel, ...args: unknown[]) => unknown;
/** Each watched channel's own push/write/exit (before ours replaced them) and its watches. */
const watchedChannels = new WeakMap<ServerChannel, Partial<Record<"push" | "write" | "exit", ChannelMethod>> & { watches: ChannelWatch[] }>();

/** The push, write and exit of every watched channel: one function each, shared. */
const WATCHED: Record<"push" | "write" | "exit", ChannelMethod> = {
  push(chunk, ...rest) {
    const hooks = watchedChannels.get(this)!;
    const { watches } = hooks; // the last added first, as if each wrapped the one before
    if (chunk) for (let i = watches.length - 1; i >= 0; i--) watches[i].received?.(chunk as Uint8Array, this);
    return hooks.push!.call(this, chunk, ...rest);
  },
  write(data, ...rest) {
    const hooks = watchedChannels.get(this)!;
    const belowLimit = hooks.write!.call(this, data, ...rest) as boolean;
    if (typeof data === "string" || data instanceof Uint8Array) {
      for (const watch of hooks.watches) watch.wrote?.(data, belowLimit, this);
    }
    return belowLimit;
  },
  exit(...args) {
    const hooks = watchedChannels.get(this)!;
    const { watches } = hooks;
    for (let i = watches.length - 1; i >= 0; i--) watches[i].exited?.(args[0] as number | string, this);
    return hooks.exit!.apply(this, args);
  },
};
const WATCHED_BY = { push: "received", write: "wrote", exit: "exited" } as const;

/** Watches a channel's data both ways and its exit status. */
export function watchChannel(channel: ServerChannel, watch: ChannelWatch): void {
  const raw = channel as unknown as Record<"push" | "write" | "exit", ChannelMethod>;
  let hooks = watchedChannels.get(channel);
  if (!hooks) watchedChannels.set(channel, (hooks = { watches: [] }));
  hooks.watches.push(watch);
  for (const method of ["push", "write", "exit"] as const) {
    if (!watch[WATCHED_BY[method]] || hooks[method]) continue;
    hooks[method] = raw[method];
    raw[method] = WATCHED[method];
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
export function onDisconnectSent(client: Connection, watch: (reason: number | undefined, client: Connection) => void): void {
  const protocol = (client as unknown as { _protocol: Disconnecting })._protocol;
  let hooks = disconnecting.get(protocol);
  if (!hooks) {
    disconnecting.set(protocol, (hooks = { disconnect: protocol.disconnect, client, watches: [] }));
    protocol.disconnect = disconnectWatched;
  }
  hooks.watches.push(watch);
}

interface Disconnecting {
  disconnect(this: Disconnecting, reason?: number): unknown;
}
/** Each watched protocol's own disconnect, its connection, and the watches. */
const disconnecting = new WeakMap<Disconnecting, {
  disconnect: Disconnecting["disconnect"];
  client: Connection;
  watches: ((reason: number | undefined, client: Connection) => void)[];
}>();

/** The disconnect of every watched protocol: one function, shared. */
function disconnectWatched(this: Disconnecting, reason?: number): unknown {
  const { disconnect, client, watches } = disconnecting.get(this)!;
  for (let i = watches.length - 1; i >= 0; i--) watches[i](reason, client); // the last added first
  return disconnect.call(this, reason);
}

/** Sends small writes (a banner, an echo) at once: turns Nagle's algorithm off (~40 ms otherwise). */
export function noDelay(client: Connection): void {
  (client as unknown as { setNoDelay(noDelay: boolean): unknown }).setNoDelay(true);
}
