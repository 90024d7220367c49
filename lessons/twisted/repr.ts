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

/**
 * How each byte is written between quotes: `a`, `\\n`, `\\'` or `\\x03`, one to four
 * characters. `codes` holds them four slots per byte; `widths` says how many are used.
 */
function escapeTable(quote: "'" | '"'): { codes: Uint8Array; widths: Uint8Array } {
  const named: Record<number, string> = { 0x09: "\\t", 0x0a: "\\n", 0x0d: "\\r", 0x5c: "\\\\" };
  const codes = new Uint8Array(256 * 4);
  const widths = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let text = String.fromCharCode(byte);
    if (byte in named) text = named[byte];
    else if (byte === quote.charCodeAt(0)) text = `\\${quote}`;
    else if (byte < 0x20 || byte >= 0x7f) text = `\\x${byte.toString(16).padStart(2, "0")}`;
    codes.set(Buffer.from(text, "latin1"), byte * 4);
    widths[byte] = text.length;
  }
  return { codes, widths };
}

const IN_SINGLE_QUOTES = escapeTable("'");
const IN_DOUBLE_QUOTES = escapeTable('"');
/** Any byte that is not written as itself (a regex scan is much faster than a loop). */
const SPECIAL_IN_SINGLE = /[^\x20-\x26\x28-\x5b\x5d-\x7e]/;
const SPECIAL_IN_DOUBLE = /[^\x20-\x5b\x5d-\x7e]/;

/** The Python repr of `bytes`, without the `b` prefix. */
export function repr(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Like CPython: single quotes, unless the data holds a ' and no ".
  const quote = buf.includes(0x27) && !buf.includes(0x22) ? '"' : "'";
  const { codes, widths } = quote === "'" ? IN_SINGLE_QUOTES : IN_DOUBLE_QUOTES;
  const text = buf.toString("latin1");
  // Nothing to escape (the common case: typed text, a paste): the bytes are their own text.
  if (!(quote === "'" ? SPECIAL_IN_SINGLE : SPECIAL_IN_DOUBLE).test(text)) return quote + text + quote;
  let length = 0;
  for (let i = 0; i < buf.length; i++) length += widths[buf[i]];
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (let i = 0; i < buf.length; i++) {
    const byte = buf[i];
    const width = widths[byte];
    const from = byte * 4;
    out[at] = codes[from];
    if (width > 1) {
      out[at + 1] = codes[from + 1];
      out[at + 2] = codes[from + 2];
      out[at + 3] = codes[from + 3];
    }
    at += width;
  }
  return quote + out.toString("latin1") + quote;
}
