/**
 * What watches a running lesson, from its flags: `--trace` prints the articles' events,
 * `--wire` the SSH messages, and `--diagram <file.md>` draws both as a Mermaid sequence
 * diagram. Each is optional; any combination works, and their lines interleave in the
 * order things happen.
 *
 * @example
 * ```ts
 * import { watchers } from "./watchers.ts";
 * const { trace, wire } = watchers({ trace: true, wire: true }, "Lesson 7: protocols");
 * ```
 * @module
 */
import { diagramFile } from "./diagram.ts";
import type { ServeFlags } from "./options.ts";
import { type TracePrint, tracePrinter } from "./trace.ts";
import { type WireSink, wirePrinter } from "./wire.ts";

export interface Watchers {
  trace?: TracePrint;
  wire?: WireSink;
}

/** The trace printer, the wire printer and the diagram the flags ask for, joined. */
export function watchers(flags: Pick<ServeFlags, "trace" | "wire" | "diagram">, title: string): Watchers {
  const diagram = flags.diagram === undefined ? undefined : diagramFile(flags.diagram, title);
  const traces = [flags.trace ? tracePrinter() : undefined, diagram?.trace].filter((each) => each !== undefined);
  const wires = [flags.wire ? wirePrinter() : undefined, diagram?.wire].filter((each) => each !== undefined);
  return {
    trace: traces.length === 0 ? undefined : (tag, event, outcome) => traces.forEach((print) => print(tag, event, outcome)),
    wire: wires.length === 0 ? undefined : {
      message: (line) => wires.forEach((sink) => sink.message(line)),
      note: (tag, connection, text) => wires.forEach((sink) => sink.note(tag, connection, text)),
      closed: (connection) => wires.forEach((sink) => sink.closed(connection)),
    },
  };
}
