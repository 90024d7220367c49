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
import process from "node:process";
import { createPrivateKey } from "node:crypto";
import type { AuthContext, Connection, ParsedKey, ServerChannel, Session } from "ssh2";

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
  /** A write by the lesson, before the channel takes it: true skips it (the lesson's write returns true). */
  skip?(data: string | Uint8Array): boolean;
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
  if (watch.wrote || watch.skip) {
    const write = raw.write;
    raw.write = function (this: unknown, data: unknown, ...rest: unknown[]) {
      const text = typeof data === "string" || data instanceof Uint8Array;
      if (text && watch.skip?.(data)) return true;
      const belowLimit = write.call(this, data, ...rest) as boolean;
      if (text) watch.wrote?.(data, belowLimit);
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
 * ssh2 keeps a host key's private half as PEM text (under a symbol named "Private key PEM")
 * and signs each handshake with that text, so Node parses the key again for every connection.
 * Node's sign() takes a parsed KeyObject just as well: this swaps the text for one, once.
 * Returns whether it could (false if ssh2 keeps the key some other way).
 */
export function signWithKeyObject(key: ParsedKey): boolean {
  const slot = Object.getOwnPropertySymbols(key).find((symbol) => symbol.description === "Private key PEM");
  const holder = key as unknown as Record<symbol, unknown>;
  if (!slot) return false;
  if (typeof holder[slot] === "string") holder[slot] = createPrivateKey(holder[slot] as string);
  return typeof holder[slot] === "object";
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
