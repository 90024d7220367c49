/**
 * The one place that reaches into ssh2's and Node's objects. ssh2 hands a lesson its answers
 * (`accept`, `reject`) and its channels directly, so a layer of the tutorial that wants to see
 * or change them (the login limits, the trace, the refusals, flow control, `--wire`) has no public hook;
 * these functions make one each, by wrapping `emit` or a method of that one object, and
 * nothing else in lessons/ does so. `tests/ssh2-hooks.test.ts` (and, for the hooks of
 * `--wire`, `tests/ssh2-debug.test.ts`) checks every assumption made here against the
 * installed ssh2 and fails, naming it, if a release changes one.
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
  /** A write by the lesson, before the channel takes it: true skips it (the lesson's write returns true). */
  skip?(data: string | Uint8Array, channel: ServerChannel): boolean;
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
    const text = typeof data === "string" || data instanceof Uint8Array;
    if (text && hooks.watches.some((watch) => watch.skip?.(data, this))) return true;
    const belowLimit = hooks.write!.call(this, data, ...rest) as boolean;
    if (text) for (const watch of hooks.watches) watch.wrote?.(data, belowLimit, this);
    return belowLimit;
  },
  exit(...args) {
    const hooks = watchedChannels.get(this)!;
    const { watches } = hooks;
    for (let i = watches.length - 1; i >= 0; i--) watches[i].exited?.(args[0] as number | string, this);
    return hooks.exit!.apply(this, args);
  },
};
/** Whether `watch` needs the channel's `method` replaced. */
const WATCHES: Record<"push" | "write" | "exit", (watch: ChannelWatch) => boolean> = {
  push: (watch) => watch.received !== undefined,
  write: (watch) => watch.wrote !== undefined || watch.skip !== undefined,
  exit: (watch) => watch.exited !== undefined,
};

/** Watches a channel's data both ways and its exit status. */
export function watchChannel(channel: ServerChannel, watch: ChannelWatch): void {
  const raw = channel as unknown as Record<"push" | "write" | "exit", ChannelMethod>;
  let hooks = watchedChannels.get(channel);
  if (!hooks) watchedChannels.set(channel, (hooks = { watches: [] }));
  hooks.watches.push(watch);
  for (const method of ["push", "write", "exit"] as const) {
    if (!WATCHES[method](watch) || hooks[method]) continue;
    hooks[method] = raw[method];
    raw[method] = WATCHED[method];
  }
}

/**
 * Calls `callback` once everything written to the channel so far has gone out (into the
 * client's window): an empty write, past every watcher, whose callback ssh2 calls in turn.
 */
export function afterPendingWrites(channel: ServerChannel, callback: () => void): void {
  if (!channel.writable) return; // ended: nothing more goes out
  const write = Object.getPrototypeOf(channel).write as (data: Uint8Array, done: () => void) => boolean;
  write.call(channel, new Uint8Array(0), callback);
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


/** The part of ssh2's per-connection Protocol object that `--wire` reaches into (`client._protocol`). */
interface ProtocolInternals {
  _debug?: (line: string) => void;
  _onPayload: (payload: Uint8Array) => unknown;
  _identRaw: Uint8Array;
  [method: string]: unknown;
}

function protocolOf(client: Connection): ProtocolInternals {
  return (client as unknown as { _protocol: ProtocolInternals })._protocol;
}

/**
 * ssh2's debug text for this connection from now on: what its `debug` option would print, one
 * line per message sent and received among others (ssh2-debug.ts reads them). The lesson builds
 * its ssh2 Server, so the option is set here, per connection, when the connection is handed
 * over (after the version lines, before the key exchange). Any debug function already there
 * still gets every line.
 */
export function onDebug(client: Connection, listener: (line: string) => void): void {
  const protocol = protocolOf(client);
  const before = protocol._debug;
  protocol._debug = (line) => {
    before?.(line);
    listener(line);
  };
}

/**
 * Each message the client sends once the first key exchange is over, decrypted, just before
 * ssh2 handles it (and writes its debug line). ssh2 hands every decrypted payload to the
 * Protocol's `_onPayload`, which each new set of keys takes up afresh.
 */
export function onClientPayload(client: Connection, listener: (payload: Uint8Array) => void): void {
  const protocol = protocolOf(client);
  const onPayload = protocol._onPayload;
  protocol._onPayload = (payload) => {
    listener(payload);
    return onPayload(payload);
  };
}

/** The Protocol methods whose arguments `--wire` shows: what ssh2 sends, with the fields its debug line omits. */
export type SentCall = "authFailure" | "channelOpenFail" | "channelOpenConfirm";

/** Each call of ssh2's Protocol method `method` (which then sends its message), with its arguments. */
export function onSend(client: Connection, method: SentCall, listener: (args: unknown[]) => void): void {
  const protocol = protocolOf(client);
  const send = protocol[method] as (...args: unknown[]) => unknown;
  protocol[method] = function (this: unknown, ...args: unknown[]) {
    listener(args);
    return send.apply(this, args);
  };
}

/** The version line ssh2 sends for this server, without its CR LF (RFC 4253 §4.2). */
export function serverVersion(client: Connection): string {
  return new TextDecoder().decode(protocolOf(client)._identRaw);
}
