/**
 * The SSH messages as the RFCs name and number them, with the section that defines each:
 * RFC 4253 for the transport, 4252 for authentication, 4254 for connections, 5656 and 8731
 * for the elliptic-curve key exchanges, 8308 for EXT_INFO. `--wire` prints these names.
 *
 * @example
 * ```ts
 * import { MESSAGES, requestSection } from "./ssh-messages.ts";
 * MESSAGES.CHANNEL_REQUEST; // { number: 98, rfc: "RFC 4254 §5.4" }
 * requestSection("pty-req"); // "RFC 4254 §6.2"
 * ```
 * @module
 */

interface MessageKind {
  number: number;
  /** Where the message is defined, e.g. "RFC 4254 §5.1". */
  rfc: string;
}

/** By the name the RFCs give them, without the `SSH_MSG_` prefix. */
export const MESSAGES = {
  DISCONNECT: { number: 1, rfc: "RFC 4253 §11.1" },
  IGNORE: { number: 2, rfc: "RFC 4253 §11.2" },
  UNIMPLEMENTED: { number: 3, rfc: "RFC 4253 §11.4" },
  DEBUG: { number: 4, rfc: "RFC 4253 §11.3" },
  SERVICE_REQUEST: { number: 5, rfc: "RFC 4253 §10" },
  SERVICE_ACCEPT: { number: 6, rfc: "RFC 4253 §10" },
  EXT_INFO: { number: 7, rfc: "RFC 8308 §2.3" },
  KEXINIT: { number: 20, rfc: "RFC 4253 §7.1" },
  NEWKEYS: { number: 21, rfc: "RFC 4253 §7.3" },
  KEXDH_INIT: { number: 30, rfc: "RFC 4253 §8" },
  KEXDH_REPLY: { number: 31, rfc: "RFC 4253 §8" },
  KEX_ECDH_INIT: { number: 30, rfc: "RFC 5656 §4" },
  KEX_ECDH_REPLY: { number: 31, rfc: "RFC 5656 §4" },
  USERAUTH_REQUEST: { number: 50, rfc: "RFC 4252 §5" },
  USERAUTH_FAILURE: { number: 51, rfc: "RFC 4252 §5.1" },
  USERAUTH_SUCCESS: { number: 52, rfc: "RFC 4252 §5.1" },
  USERAUTH_BANNER: { number: 53, rfc: "RFC 4252 §5.4" },
  USERAUTH_PK_OK: { number: 60, rfc: "RFC 4252 §7" },
  USERAUTH_PASSWD_CHANGEREQ: { number: 60, rfc: "RFC 4252 §8" },
  USERAUTH_INFO_REQUEST: { number: 60, rfc: "RFC 4256 §3.2" },
  USERAUTH_INFO_RESPONSE: { number: 61, rfc: "RFC 4256 §3.4" },
  GLOBAL_REQUEST: { number: 80, rfc: "RFC 4254 §4" },
  REQUEST_SUCCESS: { number: 81, rfc: "RFC 4254 §4" },
  REQUEST_FAILURE: { number: 82, rfc: "RFC 4254 §4" },
  CHANNEL_OPEN: { number: 90, rfc: "RFC 4254 §5.1" },
  CHANNEL_OPEN_CONFIRMATION: { number: 91, rfc: "RFC 4254 §5.1" },
  CHANNEL_OPEN_FAILURE: { number: 92, rfc: "RFC 4254 §5.1" },
  CHANNEL_WINDOW_ADJUST: { number: 93, rfc: "RFC 4254 §5.2" },
  CHANNEL_DATA: { number: 94, rfc: "RFC 4254 §5.2" },
  CHANNEL_EXTENDED_DATA: { number: 95, rfc: "RFC 4254 §5.2" },
  CHANNEL_EOF: { number: 96, rfc: "RFC 4254 §5.3" },
  CHANNEL_CLOSE: { number: 97, rfc: "RFC 4254 §5.3" },
  CHANNEL_REQUEST: { number: 98, rfc: "RFC 4254 §5.4" },
  CHANNEL_SUCCESS: { number: 99, rfc: "RFC 4254 §5.4" },
  CHANNEL_FAILURE: { number: 100, rfc: "RFC 4254 §5.4" },
} as const satisfies Record<string, MessageKind>;

export type MessageName = keyof typeof MESSAGES;

/** Where a session request (the string in a CHANNEL_REQUEST) is defined. */
const REQUEST_SECTIONS: Record<string, string> = {
  "pty-req": "RFC 4254 §6.2",
  "x11-req": "RFC 4254 §6.3.1",
  "env": "RFC 4254 §6.4",
  "shell": "RFC 4254 §6.5",
  "exec": "RFC 4254 §6.5",
  "subsystem": "RFC 4254 §6.5",
  "window-change": "RFC 4254 §6.7",
  "xon-xoff": "RFC 4254 §6.8",
  "signal": "RFC 4254 §6.9",
  "exit-status": "RFC 4254 §6.10",
  "exit-signal": "RFC 4254 §6.10",
};

/** The section for a CHANNEL_REQUEST of this type (OpenSSH's own, like auth-agent-req@openssh.com, have none). */
export function requestSection(type: string): string {
  return REQUEST_SECTIONS[type] ?? MESSAGES.CHANNEL_REQUEST.rfc;
}

/** The section for a USERAUTH_REQUEST with this method. */
export function authSection(method: string): string {
  return { none: "RFC 4252 §5.2", password: "RFC 4252 §8", publickey: "RFC 4252 §7", hostbased: "RFC 4252 §9" }[method] ??
    (method === "keyboard-interactive" ? "RFC 4256 §3.1" : MESSAGES.USERAUTH_REQUEST.rfc);
}

/** Where the agreed key exchange method is defined. */
export function kexSection(kex: string): string {
  if (kex.startsWith("curve25519-sha256")) return "RFC 8731";
  if (kex.startsWith("ecdh-sha2-")) return "RFC 5656";
  if (/^diffie-hellman-group(14|16|18)-sha(256|512)$/.test(kex)) return "RFC 8268";
  return "RFC 4253 §8";
}

/** SSH_MSG_CHANNEL_OPEN_FAILURE's reason codes (RFC 4254 §5.1). */
export const OPEN_FAILURE_REASONS: Record<number, string> = {
  1: "administratively prohibited",
  2: "connect failed",
  3: "unknown channel type",
  4: "resource shortage",
};

/** SSH_MSG_DISCONNECT's reason codes (RFC 4253 §11.1). */
export const DISCONNECT_REASONS: Record<number, string> = {
  1: "host not allowed to connect",
  2: "protocol error",
  3: "key exchange failed",
  4: "reserved",
  5: "MAC error",
  6: "compression error",
  7: "service not available",
  8: "protocol version not supported",
  9: "host key not verifiable",
  10: "connection lost",
  11: "by application",
  12: "too many connections",
  13: "auth cancelled by user",
  14: "no more auth methods available",
  15: "illegal user name",
};
