/**
 * Reads the fields `--wire` shows from a message the client sent, in the RFCs' data types
 * (RFC 4251 §5: byte, boolean, uint32, string), from its decrypted payload: the user of a
 * USERAUTH_REQUEST (never what follows it, the password), the window of a CHANNEL_OPEN, the
 * want-reply flag of a request, and the pty-req's fields with their bytes.
 *
 * @example
 * ```ts
 * import { readPayload } from "./ssh-payload.ts";
 * readPayload(payload); // { number: 98, type: "pty-req", wantReply: true, pty: [...] }
 * ```
 * @module
 */
import { Buffer } from "node:buffer";

/** One field of a pty-req, with its bytes as sent. */
export interface PtyField {
  type: "string" | "uint32";
  /** As RFC 4254 §6.2 names it. */
  label: string;
  bytes: Uint8Array;
  value: string | number;
}

/** What a payload says, as far as `--wire` shows it. */
export interface PayloadFields {
  number: number;
  /** USERAUTH_REQUEST: the user name and the method. */
  user?: string;
  method?: string;
  /** CHANNEL_OPEN: the channel type, the client's number for it, its window and largest packet. */
  type?: string;
  sender?: number;
  window?: number;
  maxPacket?: number;
  /** CHANNEL_REQUEST, GLOBAL_REQUEST: whether the client wants a reply. */
  wantReply?: boolean;
  /** CHANNEL_REQUEST "window-change": the new size. */
  size?: { cols: number; rows: number };
  /** CHANNEL_REQUEST "pty-req": its fields, in order. */
  pty?: PtyField[];
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  uint32(): number {
    if (this.at + 4 > this.bytes.length) throw new RangeError("short payload");
    const value = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).readUInt32BE(this.at);
    this.at += 4;
    return value;
  }
  bool(): boolean {
    if (this.at >= this.bytes.length) throw new RangeError("short payload");
    return this.bytes[this.at++] !== 0;
  }
  string(): Uint8Array {
    const length = this.uint32();
    if (this.at + length > this.bytes.length) throw new RangeError("short payload");
    const value = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }
  text(): string {
    return Buffer.from(this.string()).toString("utf8");
  }
  /** The bytes read since `from`. */
  since(from: number): Uint8Array {
    return this.bytes.subarray(from, this.at);
  }
}

/** The fields of a client's message (only those `--wire` shows; the rest is never read). */
export function readPayload(payload: Uint8Array): PayloadFields {
  const number = payload[0];
  const read = new Reader(payload);
  read.at = 1;
  try {
    switch (number) {
      case 50: { // USERAUTH_REQUEST: user, service, method, then the method's data (a password): not read
        const user = read.text();
        read.string();
        return { number, user, method: read.text() };
      }
      case 80: // GLOBAL_REQUEST: name, want reply
        return { number, type: read.text(), wantReply: read.bool() };
      case 90: // CHANNEL_OPEN: type, sender channel, initial window, maximum packet
        return { number, type: read.text(), sender: read.uint32(), window: read.uint32(), maxPacket: read.uint32() };
      case 98: { // CHANNEL_REQUEST: recipient channel, type, want reply, then the type's fields
        read.uint32();
        const type = read.text();
        const wantReply = read.bool();
        if (type === "pty-req") return { number, type, wantReply, pty: ptyFields(read) };
        if (type === "window-change") return { number, type, wantReply, size: { cols: read.uint32(), rows: read.uint32() } };
        return { number, type, wantReply };
      }
      default:
        return { number };
    }
  } catch {
    return { number }; // a malformed payload: ssh2 rejects it; we show what its debug line says
  }
}

/** RFC 4254 §6.2: TERM, then columns and rows, then width and height in pixels, then the modes. */
function ptyFields(read: Reader): PtyField[] {
  const fields: PtyField[] = [];
  const field = (type: PtyField["type"], label: string, take: () => string | number) => {
    const from = read.at;
    const value = take();
    fields.push({ type, label, value, bytes: read.since(from) });
  };
  field("string", "TERM", () => read.text());
  field("uint32", "terminal width, characters", () => read.uint32());
  field("uint32", "terminal height, rows", () => read.uint32());
  field("uint32", "terminal width, pixels", () => read.uint32());
  field("uint32", "terminal height, pixels", () => read.uint32());
  field("string", "encoded terminal modes", () => read.string().length);
  return fields;
}
