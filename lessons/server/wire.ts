/**
 * `--wire`: every SSH message of every connection, both ways, as it happens: the trace's tag
 * (`#1`, `#1.0` for the first channel), `←` for a message the client sent and `→` for one
 * the server sent, the RFC's name and number (`SSH_MSG_CHANNEL_REQUEST (98)`), the fields that
 * matter, and the RFC section that defines it. It shows what ssh2 answers by itself too
 * (lesson 2's refused channel, keepalives, a rekey), and, under a pty-req, the request's
 * bytes: columns, rows, then pixels, the order the original article 4 swapped.
 *
 * Which messages go by comes from ssh2's debug text (read in ssh2-debug.ts only); the fields
 * it leaves out come from the message itself (the client's decrypted payload, ssh-payload.ts),
 * from what ssh2 was asked to send, and from ssh2's "handshake" event (the agreed algorithms).
 * A USERAUTH_REQUEST shows its method and user, never the password; no key material is shown.
 *
 * @example
 * ```ts
 * import { wireMessages, wirePrinter } from "./wire.ts";
 * const layer = wireMessages(wirePrinter()); // a Middleware, see stack.ts
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import { repr } from "../twisted/repr.ts";
import type { Middleware } from "./lesson.ts";
import {
  authSection,
  DISCONNECT_REASONS,
  kexSection,
  MESSAGES,
  type MessageName,
  OPEN_FAILURE_REASONS,
  requestSection,
} from "./ssh-messages.ts";
import { type PayloadFields, type PtyField, readPayload } from "./ssh-payload.ts";
import { type DebugMessage, readDebugLine } from "./ssh2-debug.ts";
import { onClientPayload, onDebug, onSend, serverVersion } from "./ssh2-hooks.ts";
import { colourStdout, painter, printable } from "./terminal-text.ts";

/** One message on the wire (or a version line, which precedes the messages). */
export interface WireLine {
  /** `#1` for the connection, `#1.0` for its first channel. */
  tag: string;
  connection: number;
  /** "in": the client sent it; "out": the server did. */
  direction: "in" | "out";
  /** `SSH_MSG_CHANNEL_REQUEST`, or "version" for the version lines. */
  name: string;
  number?: number;
  /** The fields that matter, e.g. `pty-req, want reply: 'xterm' 80x24`. */
  summary: string;
  /** Where it is defined, e.g. "RFC 4254 §6.2". */
  rfc: string;
  /** A pty-req's fields with their bytes. */
  fields?: PtyField[];
}

/** Where `--wire` sends what it sees: the terminal (wirePrinter), a diagram (diagram.ts), a test. */
export interface WireSink {
  message(line: WireLine): void;
  /** Something the messages settled, e.g. the algorithms the key exchange agreed. */
  note(tag: string, connection: number, text: string): void;
  /** The connection is gone. */
  closed(connection: number): void;
}

/** What ssh2 was asked to send, for the fields its debug line leaves out (set just before the line). */
interface Sent {
  authFailure?: { methods: string[]; partial: boolean };
  openFailure?: { reason: number; description: string };
  openConfirm?: { window: number; maxPacket: number };
}

/** Watches each connection's messages and hands them to `sink`. */
export function wireMessages(sink: WireSink): Middleware {
  return (next) => (client, context) => {
    const connection = context.number;
    const tag = `#${connection}`;
    const version = (direction: "in" | "out", text: string) =>
      sink.message({ tag, connection, direction, name: "version", summary: text, rfc: "RFC 4253 §4.2" });
    version("out", serverVersion(client)); // ssh2 sends its version line first, without waiting
    version("in", context.info.header.identRaw);

    let payload: PayloadFields | undefined; // the client's message being handled
    const sent: Sent = {};
    let kexInit: DebugMessage | undefined; // message 30, named once ssh2 replies
    const channels = { opened: 0, byClient: new Map<number, number>(), byServer: new Map<number, number>() };

    onClientPayload(client, (bytes) => (payload = readPayload(bytes)));
    onSend(client, "authFailure", ([methods, partial]) =>
      (sent.authFailure = { methods: Array.isArray(methods) ? methods.map(String) : [], partial: partial === true }));
    onSend(client, "channelOpenFail", ([, reason, description]) =>
      (sent.openFailure = { reason: Number(reason), description: typeof description === "string" ? description : "" }));
    onSend(client, "channelOpenConfirm", ([, , window, maxPacket]) =>
      (sent.openConfirm = { window: Number(window), maxPacket: Number(maxPacket) }));

    const show = (message: DebugMessage, name: MessageName) => {
      const fields = payload && payload.number === MESSAGES[name].number && message.direction === "in" ? payload : undefined;
      if (message.direction === "in") payload = undefined; // used once: a message the hook missed (in a rekey) gets none
      const line = describe(message, name, fields, sent);
      sink.message({ tag: tag + channelOf(message, channels), connection, direction: message.direction, name: `SSH_MSG_${name}`, number: MESSAGES[name].number, ...line });
    };
    onDebug(client, (text) => {
      const read = readDebugLine(text);
      if (read.kind === "other") return;
      if (read.kind === "queued") return sink.note(tag, connection, "(held back until the key exchange under way ends: RFC 4253 §7.1)");
      if (read.kind === "unknown") {
        sink.message({ tag, connection, direction: text.startsWith("Inbound") ? "in" : "out", name: "?", summary: `ssh2 debug: ${text}`, rfc: "" });
        return;
      }
      const { message } = read;
      if (message.name === "KEX_INIT") return void (kexInit = message);
      if (kexInit) {
        show(kexInit, message.name === "KEXDH_REPLY" ? "KEXDH_INIT" : "KEX_ECDH_INIT");
        kexInit = undefined;
      }
      show(message, message.name);
    });
    client.on("handshake", (agreed) => {
      const mac = agreed.cs.mac === "" ? "in the cipher" : agreed.cs.mac;
      sink.note(tag, connection, `agreed: ${agreed.kex} (${kexSection(agreed.kex)}), host key ${agreed.serverHostKey}, cipher ${agreed.cs.cipher}, MAC ${mac}, compression ${agreed.cs.compress}`);
    });
    client.on("close", () => {
      if (kexInit) show(kexInit, "KEXDH_INIT");
      sink.closed(connection);
    });
    next(client, context);
  };
}

/** `.0` for the first channel the client opened, `.1` for the next...; "" for connection messages. */
function channelOf(message: DebugMessage, channels: { opened: number; byClient: Map<number, number>; byServer: Map<number, number> }): string {
  const { name, direction, sender, recipient, local } = message;
  if (!name.startsWith("CHANNEL_")) return "";
  let index: number | undefined;
  if (name === "CHANNEL_OPEN" && direction === "in" && sender !== undefined) {
    index = channels.opened++;
    channels.byClient.set(sender, index);
  } else if (recipient !== undefined) {
    // The recipient is the receiver's number for the channel: ours when the client sends.
    index = direction === "in" ? channels.byServer.get(recipient) : channels.byClient.get(recipient);
    if (name === "CHANNEL_OPEN_CONFIRMATION" && direction === "out" && local !== undefined && index !== undefined) {
      channels.byServer.set(local, index);
    }
  }
  return index === undefined ? "" : `.${index}`;
}

/** A client's text (a TERM) as the trace shows it: Python's repr. */
const quote = (text: string) => repr(Buffer.from(text));
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The summary and section of one message. */
function describe(message: DebugMessage, name: MessageName, payload: PayloadFields | undefined, sent: Sent): Pick<WireLine, "summary" | "rfc" | "fields"> {
  const { direction, detail, length } = message;
  const rfc = MESSAGES[name].rfc;
  const reply = payload?.wantReply === undefined ? "" : payload.wantReply ? ", want reply" : ", no reply wanted";
  switch (name) {
    case "KEXINIT":
      return { summary: `${direction === "in" ? "the client's" : "the server's"} algorithm lists`, rfc };
    case "KEX_ECDH_INIT":
    case "KEXDH_INIT":
      return { summary: "the client's ephemeral public key", rfc };
    case "KEX_ECDH_REPLY":
    case "KEXDH_REPLY":
      return { summary: "host key, ephemeral public key, signature", rfc };
    case "NEWKEYS":
      return { summary: `the ${direction === "in" ? "client" : "server"} uses the new keys from here on`, rfc };
    case "USERAUTH_REQUEST": {
      const method = payload?.method ?? detail ?? "";
      return { summary: payload?.user === undefined ? method : `${method} ${JSON.stringify(payload.user)}`, rfc: authSection(method) };
    }
    case "USERAUTH_FAILURE": {
      const failure = sent.authFailure;
      sent.authFailure = undefined;
      if (!failure) return { summary: detail ?? "", rfc };
      const methods = failure.methods.length ? failure.methods.join(",") : "none left";
      return { summary: `can continue: ${methods}${failure.partial ? " (partial success)" : ""}`, rfc };
    }
    case "GLOBAL_REQUEST":
      return { summary: `${payload?.type ?? detail ?? ""}${direction === "out" ? ", want reply" : reply}`, rfc };
    case "CHANNEL_OPEN": {
      if (!payload || payload.type === undefined) return { summary: `${detail ?? ""}, sender channel ${message.sender}`, rfc };
      return { summary: `${payload.type}, sender channel ${payload.sender}, window ${payload.window}, max packet ${payload.maxPacket}`, rfc };
    }
    case "CHANNEL_OPEN_CONFIRMATION": {
      const confirm = sent.openConfirm;
      sent.openConfirm = undefined;
      const sizes = confirm ? `, window ${confirm.window}, max packet ${confirm.maxPacket}` : "";
      return { summary: `recipient channel ${message.recipient}, sender channel ${message.local ?? message.sender}${sizes}`, rfc };
    }
    case "CHANNEL_OPEN_FAILURE": {
      const failure = sent.openFailure;
      sent.openFailure = undefined;
      if (!failure) return { summary: "", rfc };
      const reason = `${OPEN_FAILURE_REASONS[failure.reason] ?? "reason"} (${failure.reason})`;
      return { summary: failure.description ? `${reason} ${JSON.stringify(failure.description)}` : reason, rfc };
    }
    case "CHANNEL_DATA":
    case "CHANNEL_EXTENDED_DATA":
      return { summary: length === undefined ? "" : plural(length, "byte"), rfc };
    case "CHANNEL_WINDOW_ADJUST":
      return { summary: length === undefined ? "" : `+${plural(length, "byte")}`, rfc };
    case "CHANNEL_REQUEST": {
      const type = payload?.type ?? detail?.split(": ")[0] ?? "";
      let value = detail?.includes(": ") ? detail.slice(detail.indexOf(": ") + 2) : "";
      if (payload?.pty) {
        const [term, cols, rows, width, height] = payload.pty.map((field) => field.value);
        value = `${quote(String(term))} ${cols}x${rows}, ${width}x${height} pixels`;
      } else if (payload?.size) value = `${payload.size.cols}x${payload.size.rows}`;
      const wanted = direction === "out" ? "" : reply;
      return { summary: `${type}${wanted}${value ? `: ${value}` : ""}`, rfc: requestSection(type), fields: payload?.pty };
    }
    case "DISCONNECT": {
      const code = message.reason ?? 0;
      const reason = `${DISCONNECT_REASONS[code] ?? "reason"} (${code})`;
      return { summary: message.description ? `${reason} ${JSON.stringify(message.description)}` : reason, rfc };
    }
    default:
      return { summary: detail ?? "", rfc };
  }
}

/** Hex bytes, the first `most` of them, then "…" if there are more. */
function hex(bytes: Uint8Array, most = 16): string {
  const shown = [...bytes.subarray(0, most)].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
  return bytes.length > most ? `${shown} …` : shown;
}

/** The lines under a pty-req: each field's type, name, value and bytes, in the order sent. */
function ptyLines(fields: PtyField[]): string[] {
  return fields.map(({ type, label, value, bytes }) => {
    const shown = label === "TERM" ? quote(String(value)) : label.endsWith("modes") ? `${value} bytes` : String(value);
    return `${type.padEnd(6)} ${label.padEnd(27)} ${shown.padEnd(16)} ${hex(bytes, label.endsWith("modes") ? 8 : 24)}`;
  });
}

const RFC_COLUMN = 78;

/** A {@link WireSink} printing to stdout, one line per message, coloured only on a terminal. */
export function wirePrinter(write: (line: string) => void = (line) => console.log(line)): WireSink {
  const paint = painter(colourStdout());
  return {
    message({ tag, direction, name, number, rfc, fields, ...line }) {
      const summary = printable(line.summary); // the client's words (a TERM, a command), never its control codes
      const arrow = direction === "in" ? "←" : "→";
      const head = number === undefined ? name : `${name} (${number})`;
      const plain = `${tag.padEnd(6)} ${arrow} ${head}${summary ? ` ${summary}` : ""}`;
      const gap = rfc ? " ".repeat(Math.max(2, RFC_COLUMN - plain.length)) : "";
      write(`${paint("2", tag.padEnd(6))} ${paint(direction === "in" ? "36" : "33", arrow)} ${paint("1", head)}${summary ? ` ${summary}` : ""}${gap}${paint("2", rfc)}`);
      for (const line of fields ? ptyLines(fields) : []) write(`${paint("2", tag.padEnd(6))}       ${line}`);
    },
    note(tag, _connection, text) {
      write(`${paint("2", tag.padEnd(6))}   ${paint("2", printable(text))}`);
    },
    closed() {},
  };
}
