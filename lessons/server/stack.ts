/**
 * The tutorial around every lesson, in one place. Each layer is a {@link Middleware}: it gets
 * the next handler and returns its own, so a connection passes through them in the order
 * listed here, outermost first, and reaches the lesson's handler last. Nothing else decides
 * what runs around a lesson.
 *
 * @example
 * ```ts
 * import { tutorialLayers, wrapper } from "./stack.ts";
 * const wrap = wrapper(tutorialLayers({ admission, limits }), console.error);
 * new ssh2.Server({ hostKeys }, wrap(lessonHandler));
 * ```
 * @module
 */
import type { Admission } from "./admission.ts";
import { endOnError, logLogins } from "./connections.ts";
import { flowControl } from "./flow-control.ts";
import type { Handler, Middleware, Setup } from "./lesson.ts";
import { limitLogins, type LoginLimits } from "./login-limits.ts";
import { refuseTheRest } from "./refusals.ts";
import { socketOf } from "./ssh2-hooks.ts";
import { traceEvents, type TracePrint } from "./trace.ts";
import { wireMessages, type WireSink } from "./wire.ts";

export interface Layers {
  admission: Admission;
  limits: LoginLimits;
  /** With `--trace`: where each event is printed. */
  trace?: TracePrint;
  /** With `--wire` (or `--diagram`): where each SSH message is shown. */
  wire?: WireSink;
  /** More layers, innermost (the tests' observers). */
  extra?: Middleware[];
  /** With `--class-password`: a refused login says when its name could never be a class login. */
  classLogins?: boolean;
}

/** The layers, outermost first. */
export function tutorialLayers({ admission, limits, trace, wire, extra = [], classLogins = false }: Layers): Middleware[] {
  return [
    endOnError(), //                          an error ends its own connection, with one log line
    admission.layer(), //                     the queue, the slots, login clocks (admission.ts)
    ...(trace ? [traceEvents(trace)] : []), // --trace: every event, named as the articles name them
    ...(wire ? [wireMessages(wire)] : []), // --wire: every SSH message, named as the RFCs name them
    logLogins(), //                           the login name into the context, one log line per login
    limitLogins(limits, classLogins), //      a delay per refused login, and a limit on tries
    refuseTheRest(), //                       exec, sftp, forwarding...: refused with a log line
    flowControl(), //                         a client that does not read stops being read
    ...extra,
  ];
}

/** Composes `layers` around a handler, outermost first. */
export function compose(layers: Middleware[], handler: Handler): Handler {
  return layers.reduceRight((next, layer) => layer(next), handler);
}

/**
 * A lesson's `setup.wrap`: the layers around its handler, as ssh2's connection listener,
 * with each connection's Context: its number, addresses and log tag.
 */
export function wrapper(layers: Middleware[], log: (line: string) => void): Setup["wrap"] {
  let count = 0;
  return (handler) => {
    const handle = compose(layers, handler);
    return (client, info) => {
      const number = ++count;
      const socket = socketOf(client);
      const tag = `[${number} ${info.ip}:${info.port}]`;
      handle(client, {
        number,
        info,
        peer: { type: "TCP", host: info.ip, port: info.port },
        host: { type: "TCP", host: socket.localAddress ?? "", port: socket.localPort ?? 0 },
        log: (message) => log(`${tag} ${message}`),
      });
    };
  };
}
