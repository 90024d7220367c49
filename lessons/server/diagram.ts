/**
 * `--diagram <file.md>`: each connection of the run as a Mermaid `sequenceDiagram`, which
 * GitHub and most slide tools draw: the client and the server as participants, one arrow per
 * SSH message (what `--wire` prints), and a note for each of the lesson's events (what
 * `--trace` prints). The file is written again each time a connection ends. What changes from
 * run to run (the client's port) is left out, so the same session gives the same diagram.
 *
 * @example
 * ```ts
 * import { diagramFile } from "./diagram.ts";
 * const diagram = diagramFile("session.md", "Lesson 7: protocols");
 * // diagram.trace is a TracePrint, diagram.wire a WireSink: see start.ts
 * ```
 * @module
 */
import { writeFileSync } from "node:fs";
import { printable } from "./terminal-text.ts";
import type { TracePrint } from "./trace.ts";
import { UserError } from "./user-error.ts";
import type { WireSink } from "./wire.ts";

interface Recorded {
  client: string;
  lines: string[];
  closed: boolean;
}

/** Mermaid ends a message's text at `;` and reads `#` as the start of an entity: write those as entities. */
export function mermaidText(text: string): string {
  // printable(): a newline or control code from the client could end a line and start another.
  return printable(text).replace(/[#;<>]/g, (c) => ({ "#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;" })[c]!);
}

/** The connection number in a tag: 3 for `#3` and `#3.0`. */
const connectionOf = (tag: string) => Number(tag.slice(1).split(".")[0]);

/** Records the messages and events of each connection, and renders them as Markdown. */
export class Diagram {
  readonly #connections = new Map<number, Recorded>();

  constructor(readonly title: string) {}

  #of(connection: number): Recorded {
    let recorded = this.#connections.get(connection);
    if (!recorded) this.#connections.set(connection, recorded = { client: "client", lines: [], closed: false });
    return recorded;
  }

  /** Each event of the trace becomes a note beside the server (but the key exchange: the wire's note says it all). */
  readonly trace: TracePrint = (tag, event, outcome) => {
    if (event.startsWith("key exchange: ")) return;
    const channel = tag.includes(".") ? `channel ${tag.split(".")[1]}: ` : "";
    const text = `${channel}${event}${outcome ? `: ${outcome}` : ""}`.replace(/ from (\S+):\d+ /, " from $1 ");
    this.#of(connectionOf(tag)).lines.push(`Note right of S: ${mermaidText(text)}`);
  };

  /** Each message becomes an arrow; what the messages settle, a note across both. */
  readonly wire: WireSink = {
    message: ({ connection, tag, direction, name, number, summary, rfc }) => {
      const recorded = this.#of(connection);
      if (name === "version" && direction === "in") recorded.client = summary;
      const channel = tag.includes(".") ? ` (channel ${tag.split(".")[1]})` : "";
      const head = number === undefined ? name : `${name} (${number})`;
      const text = `${head}${summary ? ` ${summary}` : ""}${channel}${rfc ? ` · ${rfc}` : ""}`;
      recorded.lines.push(`${direction === "in" ? "C->>S" : "S->>C"}: ${mermaidText(text)}`);
    },
    note: (_tag, connection, text) => {
      this.#of(connection).lines.push(`Note over C,S: ${mermaidText(text)}`);
    },
    closed: (connection) => {
      this.#of(connection).closed = true;
      this.onClosed?.();
    },
  };

  /** Called after each connection ends (diagramFile writes the file then). */
  onClosed?: () => void;

  /** One connection's diagram, without the Markdown fence. */
  sequence(connection: number): string {
    const recorded = this.#of(connection);
    return [
      "sequenceDiagram",
      `    participant C as Client ${mermaidText(recorded.client)}`,
      `    participant S as Server ${mermaidText(this.title)}`,
      ...recorded.lines.map((line) => `    ${line}`),
    ].join("\n");
  }

  /** The Markdown file: a heading, then each ended connection's diagram in a mermaid fence. */
  markdown(): string {
    const ended = [...this.#connections.entries()].filter(([, recorded]) => recorded.closed).map(([number]) => number);
    const parts = ended.map((number) => `## Connection ${number}\n\n\`\`\`mermaid\n${this.sequence(number)}\n\`\`\`\n`);
    return [`# ${this.title}: the SSH messages of each connection\n`, ...parts].join("\n");
  }
}

/** A {@link Diagram} that writes `file` now (to fail early on a bad path) and after each connection. */
export function diagramFile(file: string, title: string): Diagram {
  const diagram = new Diagram(title);
  const write = () => {
    try {
      writeFileSync(file, diagram.markdown());
    } catch (error) {
      throw new UserError(`--diagram ${file}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  write();
  diagram.onClosed = () => {
    try {
      write();
    } catch (error) {
      console.error((error as Error).message);
    }
  };
  return diagram;
}
