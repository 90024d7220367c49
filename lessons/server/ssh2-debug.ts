/**
 * Reads ssh2's `debug` text: one line per SSH message it sends ("Outbound: Sending
 * CHANNEL_DATA (r:0, 25)") or receives ("Inbound: CHANNEL_OPEN (s:0, session)"), among lines
 * about its own work ("Handshake: ...", "Generating signature ..."). That text is no public
 * API, so this is the one module that reads it, for ssh2 1.17.0 exactly (pinned in
 * package.json and deno.json), and `tests/ssh2-debug.test.ts` fails, naming the line, when a
 * release writes it differently. Of the key exchange it reads only the lines that mark its
 * messages (KEXINIT, the DH/ECDH init and reply, NEWKEYS), nothing of the negotiation.
 *
 * @example
 * ```ts
 * import { readDebugLine } from "./ssh2-debug.ts";
 * readDebugLine("Outbound: Sending CHANNEL_DATA (r:0, 25)");
 * // { kind: "message", message: { direction: "out", name: "CHANNEL_DATA", recipient: 0, length: 25 } }
 * ```
 * @module
 */
import { MESSAGES, type MessageName } from "./ssh-messages.ts";

/** One SSH message, as much of it as ssh2's debug line says. */
export interface DebugMessage {
  /** "in": the client sent it; "out": ssh2 (the server) sent it. */
  direction: "in" | "out";
  /**
   * The RFC name without `SSH_MSG_`. The key exchange's message 30 arrives as "KEX_INIT" and
   * is named by the reply ssh2 sends next (KEXDH_INIT or KEX_ECDH_INIT).
   */
  name: MessageName | "KEX_INIT";
  /** The channel number the message is addressed to (the receiver's number for it). */
  recipient?: number;
  /** CHANNEL_OPEN: the sender's number for the new channel. */
  sender?: number;
  /** CHANNEL_OPEN_CONFIRMATION sent by us: our number for the channel. */
  local?: number;
  /** CHANNEL_DATA, WINDOW_ADJUST: bytes. */
  length?: number;
  /** What the line says after the channel: a service, an auth method, a request type with its value. */
  detail?: string;
  /** DISCONNECT: the reason code, and the description when the client sent it. */
  reason?: number;
  description?: string;
}

export type DebugLine =
  | { kind: "message"; message: DebugMessage }
  /** ssh2 talking about its own work, not a message on the wire. */
  | { kind: "other" }
  /** The message just named waits: a key exchange is under way (it goes out after NEWKEYS). */
  | { kind: "queued" }
  /** Looks like a message, but not in a form this module knows: ssh2's text has changed. */
  | { kind: "unknown"; text: string };

const OTHER = { kind: "other" } as const;

/** Lines starting "Inbound:" or "Outbound:" that are not messages. */
const NOT_MESSAGES = [
  /^Outbound: Initiated explicit rekey$/,
  /^Outbound: Ignoring rekey during handshake$/,
  /^Inbound: Skipping empty packet payload$/,
  /^Inbound: Received (unexpected )?payload type \d+( without auth)?$/,
  /^Inbound: Unsupported message type: \d+$/,
];

/** The key exchange's lines, which do not follow the general form. */
const KEX_LINES: [RegExp, (match: RegExpMatchArray) => DebugMessage][] = [
  [/^Outbound: Sending KEXINIT$/, () => ({ direction: "out", name: "KEXINIT" })],
  [/^Inbound: Handshake in progress$/, () => ({ direction: "in", name: "KEXINIT" })], // on receiving KEXINIT
  [/^Received DH Init$/, () => ({ direction: "in", name: "KEX_INIT" })],
  [/^Outbound: Sending (KEXDH_REPLY|KEXECDH_REPLY)$/, (m) => ({ direction: "out", name: m[1] === "KEXDH_REPLY" ? "KEXDH_REPLY" : "KEX_ECDH_REPLY" })],
  [/^Outbound: Sending NEWKEYS$/, () => ({ direction: "out", name: "NEWKEYS" })],
  [/^Inbound: NEWKEYS$/, () => ({ direction: "in", name: "NEWKEYS" })],
];

const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** What one line of ssh2's debug output says. */
export function readDebugLine(line: string): DebugLine {
  for (const [pattern, read] of KEX_LINES) {
    const match = line.match(pattern);
    if (match) return { kind: "message", message: read(match) };
  }
  if (!/^(Inbound|Outbound):/.test(line)) return OTHER;
  if (NOT_MESSAGES.some((pattern) => pattern.test(line))) return OTHER;
  if (line === "Outbound: ... packet queued") return { kind: "queued" };

  let match = line.match(/^Outbound: Sending ping \(GLOBAL_REQUEST: (\S+)\)$/); // ssh2's keepalive
  if (match) return { kind: "message", message: { direction: "out", name: "GLOBAL_REQUEST", detail: match[1] } };
  match = line.match(/^Inbound: Received DISCONNECT \((\d+), "(.*)"\)$/s);
  if (match) return { kind: "message", message: { direction: "in", name: "DISCONNECT", reason: Number(match[1]), description: match[2] } };
  match = line.match(/^Outbound: Sending DISCONNECT \((\d+)\)$/);
  if (match) return { kind: "message", message: { direction: "out", name: "DISCONNECT", reason: Number(match[1]) } };

  // Channel messages: "(r:0, ...)" or "(s:0, session)".
  match = line.match(/^(Inbound|Outbound): (?:Received |Sending )?(CHANNEL_[A-Z_]+) \(([rs]):(\d+)(?:, (.*))?\)$/s);
  if (match) {
    const [, way, name, side, channel, rest] = match;
    if (!(name in MESSAGES)) return { kind: "unknown", text: line };
    const message: DebugMessage = { direction: way === "Inbound" ? "in" : "out", name: name as MessageName };
    if (side === "s") message.sender = Number(channel);
    else message.recipient = Number(channel);
    if (rest !== undefined) {
      const local = rest.match(/^l:(\d+)$/);
      const sender = rest.match(/^s:(\d+)$/);
      if (local) message.local = Number(local[1]);
      else if (sender) message.sender = Number(sender[1]);
      else if ((name === "CHANNEL_DATA" || name === "CHANNEL_WINDOW_ADJUST" || name === "CHANNEL_EXTENDED_DATA") && /^\d+$/.test(rest)) {
        message.length = number(rest);
      } else message.detail = rest;
    }
    return { kind: "message", message };
  }

  // Everything else: "Inbound: Received SERVICE_REQUEST (ssh-userauth)", "Outbound: Sending USERAUTH_SUCCESS".
  match = line.match(/^(Inbound|Outbound): (?:Received |Sending )?([A-Z_]+)(?: \((.*)\))?$/s);
  if (match && match[2] in MESSAGES && !match[2].startsWith("CHANNEL_")) {
    const [, way, name, detail] = match;
    const message: DebugMessage = { direction: way === "Inbound" ? "in" : "out", name: name as MessageName };
    if (detail !== undefined) message.detail = detail;
    return { kind: "message", message };
  }
  return { kind: "unknown", text: line };
}
