/**
 * Text for the teacher's terminal: colour only where it helps (a terminal, no NO_COLOR), and
 * nothing a client chose (a TERM, a command, a version line) that the terminal would obey as
 * a control code. Used by `--trace`, `--wire` and `tutorial.ts diff`.
 *
 * @example
 * ```ts
 * import { painter, printable } from "./terminal-text.ts";
 * const paint = painter(colourStdout());
 * console.log(paint(32, "accepted"), printable("x\x1b[2J")); // the ESC shows as \x1b
 * ```
 * @module
 */
import process from "node:process";

/** Whether to colour output: only on a terminal, and never with NO_COLOR set. */
export function colourWanted(isTerminal: boolean, noColor: string | undefined): boolean {
  return isTerminal && (noColor === undefined || noColor === "");
}

/** Whether to colour stdout now (Deno knows NO_COLOR without asking for the environment). */
export function colourStdout(): boolean {
  const deno = (globalThis as { Deno?: { noColor: boolean } }).Deno;
  const noColor = deno ? (deno.noColor ? "1" : undefined) : process.env.NO_COLOR;
  return colourWanted(Boolean(process.stdout.isTTY), noColor);
}

/** `paint(code, text)`: the text in an ANSI style (`32` green, `"2"` dim...), or plain without colour. */
export function painter(colour: boolean): (code: number | string, text: string) => string {
  return (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
}

/** `text` with every control character (C0, DEL, C1) written as `\xNN`, so a terminal shows it rather than obeys it. */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
