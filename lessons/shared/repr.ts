/**
 * Python's `repr()` of a byte string, the way the articles print input: `echo: 'h'`.
 *
 * The articles ran on Python 2, where `repr(bytes)` has no leading `b`; this gives the
 * same text as CPython 3's `repr(bytes)` with that `b` dropped, for every byte string.
 *
 * @example
 * ```ts
 * import { repr } from "./repr.ts";
 * repr(Buffer.from("it's"));   // "it's" in double quotes, as Python chooses
 * repr(Buffer.from([3]));      // '\x03'
 * ```
 * @module
 */
import { Buffer } from "node:buffer";

/** How each byte is written between quotes; `undefined` means "as itself". */
function escapeTable(quote: "'" | '"'): (string | undefined)[] {
  const named: Record<number, string> = { 0x09: "\\t", 0x0a: "\\n", 0x0d: "\\r", 0x5c: "\\\\" };
  return Array.from({ length: 256 }, (_, byte) => {
    if (byte in named) return named[byte];
    if (byte === quote.charCodeAt(0)) return `\\${quote}`;
    if (byte < 0x20 || byte >= 0x7f) return `\\x${byte.toString(16).padStart(2, "0")}`;
    return undefined;
  });
}

const IN_SINGLE_QUOTES = escapeTable("'");
const IN_DOUBLE_QUOTES = escapeTable('"');

/** The Python repr of `bytes`, without the `b` prefix. */
export function repr(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Like CPython: single quotes, unless the data holds a ' and no ".
  const quote = buf.includes(0x27) && !buf.includes(0x22) ? '"' : "'";
  const table = quote === "'" ? IN_SINGLE_QUOTES : IN_DOUBLE_QUOTES;
  let out = quote;
  let plainFrom = 0;
  for (let i = 0; i < buf.length; i++) {
    const escaped = table[buf[i]];
    if (escaped === undefined) continue;
    out += buf.toString("latin1", plainFrom, i) + escaped;
    plainFrom = i + 1;
  }
  return out + buf.toString("latin1", plainFrom, buf.length) + quote;
}
