/**
 * `tutorial.ts diff 4 5`: what one lesson adds to the one before, as a unified diff, on any
 * platform (no `diff` program needed). Also counts the lines of code that differ, comments
 * and blank lines aside, which `tests/lesson-files.test.ts` keeps small.
 *
 * @example
 * ```ts
 * import { codeLines, diffLines, unifiedDiff } from "./diff.ts";
 * const changes = diffLines(codeLines(before), codeLines(after)).filter((line) => line.kind !== " ").length;
 * console.log(unifiedDiff("a.ts", before, "b.ts", after, false));
 * ```
 * @module
 */
import { painter } from "./terminal-text.ts";

/** One line of a diff: kept (" "), removed ("-") or added ("+"). */
export interface DiffLine {
  kind: " " | "-" | "+";
  text: string;
  /** Line numbers (1-based) in the old and the new text. */
  oldLine: number;
  newLine: number;
}

/** A shortest diff of two lists of lines (longest common subsequence). */
export function diffLines(before: string[], after: string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  // common[i][j]: the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      lines.push({ kind: " ", text: before[i], oldLine: ++i, newLine: ++j });
    } else if (i < n && (j === m || common[i + 1][j] >= common[i][j + 1])) {
      lines.push({ kind: "-", text: before[i], oldLine: ++i, newLine: j }); // removals first, as diff -u
    } else {
      lines.push({ kind: "+", text: after[j], oldLine: i, newLine: ++j });
    }
  }
  return lines;
}

/** The code of a TypeScript file: comments, blank lines and trailing spaces taken out. */
export function codeLines(source: string): string[] {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quote) {
      out += char;
      if (char === "\\") out += source[++i] ?? "";
      else if (char === quote) quote = undefined;
    } else if (char === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? source.length : end + 1;
    } else if (char === "/" && source[i + 1] === "/") {
      while (i + 1 < source.length && source[i + 1] !== "\n") i++;
    } else {
      if (char === '"' || char === "'" || char === "`") quote = char;
      out += char;
    }
  }
  return out.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "");
}

/** How many lines of code differ between two files (removed plus added). */
export function codeChanges(before: string, after: string): number {
  return diffLines(codeLines(before), codeLines(after)).filter((line) => line.kind !== " ").length;
}

/** A unified diff (3 lines of context), coloured with ANSI codes if `colour`. */
export function unifiedDiff(oldName: string, before: string, newName: string, after: string, colour: boolean): string {
  const paint = painter(colour);
  const lines = diffLines(before.split("\n"), after.split("\n"));
  const changed = lines.map((line, index) => (line.kind !== " " ? index : -1)).filter((index) => index >= 0);
  const out = [paint(1, `--- ${oldName}`), paint(1, `+++ ${newName}`)];
  let at = 0;
  while (at < changed.length) {
    // A hunk: changes less than 7 lines apart, with 3 lines of context around them.
    let last = at;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 6) last++;
    const from = Math.max(0, changed[at] - 3);
    const to = Math.min(lines.length, changed[last] + 4);
    const hunk = lines.slice(from, to);
    const oldStart = hunk.find((line) => line.kind !== "+")?.oldLine ?? hunk[0].oldLine;
    const newStart = hunk.find((line) => line.kind !== "-")?.newLine ?? hunk[0].newLine;
    const oldCount = hunk.filter((line) => line.kind !== "+").length;
    const newCount = hunk.filter((line) => line.kind !== "-").length;
    out.push(paint(36, `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`));
    for (const line of hunk) {
      const text = `${line.kind}${line.text}`;
      out.push(line.kind === "-" ? paint(31, text) : line.kind === "+" ? paint(32, text) : text);
    }
    at = last + 1;
  }
  return out.join("\n");
}
