/**
 * A structural check of Mermaid's sequence-diagram syntax, enough to know that a diagram
 * `--diagram` wrote will be drawn: the `sequenceDiagram` header, declared participants,
 * arrows and notes between declared participants with text Mermaid can read (no bare `;`
 * or `#`, which end a message or start an entity), and blocks (`loop`, `alt`, `rect`...)
 * balanced by `end`. It returns the problems, one line each; none means the diagram passes.
 *
 * @example
 * ```ts
 * assert.deepEqual(sequenceProblems(text), []);
 * ```
 * @module
 */

const ID = "[A-Za-z][\\w]*";
const ARROW = new RegExp(`^(${ID})\\s*(-->>|->>|-->|->|--x|-x|--\\)|-\\))[+-]?\\s*(${ID})\\s*:(.*)$`);
const NOTE = new RegExp(`^Note (left of|right of|over) (${ID})(?:\\s*,\\s*(${ID}))?\\s*:(.*)$`);
const PARTICIPANT = new RegExp(`^(participant|actor) (${ID})(?: as (.+))?$`);
const OPEN_BLOCK = /^(loop|alt|opt|par|rect|critical|break|box)\b/;

/** Text Mermaid reads as one message: `;` would end it and `#` must start an entity like `#35;`. */
function textProblem(text: string): string | undefined {
  const bare = text.replace(/#(\d+|[a-z]+);/g, "");
  if (bare.includes(";")) return "a bare ';' (it ends the statement)";
  if (bare.includes("#")) return "a bare '#' (it starts an entity)";
  return undefined;
}

/** What keeps `text` from being a Mermaid sequence diagram: one line per problem. */
export function sequenceProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n").map((line) => line.trim());
  const first = lines.findIndex((line) => line !== "" && !line.startsWith("%%"));
  if (first < 0 || lines[first] !== "sequenceDiagram") return ["does not start with sequenceDiagram"];
  const participants = new Set<string>();
  const blocks: string[] = [];
  let arrows = 0;
  const known = (id: string | undefined, at: number) => {
    if (id !== undefined && !participants.has(id)) problems.push(`line ${at + 1}: ${id} is not a declared participant`);
  };
  lines.forEach((line, at) => {
    if (at <= first || line === "" || line.startsWith("%%")) return;
    let match;
    if ((match = line.match(PARTICIPANT))) {
      if (participants.has(match[2])) problems.push(`line ${at + 1}: ${match[2]} declared twice`);
      participants.add(match[2]);
      const problem = match[3] === undefined ? undefined : textProblem(match[3]);
      if (problem) problems.push(`line ${at + 1}: ${problem}`);
    } else if ((match = line.match(ARROW))) {
      arrows += 1;
      known(match[1], at);
      known(match[3], at);
      const problem = textProblem(match[4]);
      if (problem) problems.push(`line ${at + 1}: ${problem}`);
    } else if ((match = line.match(NOTE))) {
      known(match[2], at);
      known(match[3], at);
      const problem = textProblem(match[4]);
      if (problem) problems.push(`line ${at + 1}: ${problem}`);
    } else if (OPEN_BLOCK.test(line)) {
      blocks.push(line.split(" ")[0]);
    } else if (/^(else|and|option)\b/.test(line)) {
      if (!["alt", "par", "critical"].includes(blocks.at(-1) ?? "")) problems.push(`line ${at + 1}: ${line.split(" ")[0]} outside alt/par/critical`);
    } else if (line === "end") {
      if (blocks.pop() === undefined) problems.push(`line ${at + 1}: end without a block to close`);
    } else {
      problems.push(`line ${at + 1}: not sequence-diagram syntax: ${line}`);
    }
  });
  for (const block of blocks) problems.push(`${block} is never closed with end`);
  if (participants.size < 2) problems.push("fewer than two participants");
  if (arrows === 0) problems.push("no messages");
  return problems;
}

/** The contents of each ```mermaid fence in a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}
