/**
 * The addresses a student types after `alice@`. A server on a loopback address is reached as
 * `localhost`; one on every address (`--host 0.0.0.0` or `::`, a teacher serving a class) by
 * this machine's own network addresses, which the banner lists.
 *
 * @example
 * ```ts
 * import { connectAddresses } from "./connect-addresses.ts";
 * connectAddresses("0.0.0.0"); // { addresses: ["192.168.1.20"] } on a laptop on Wi-Fi
 * ```
 * @module
 */
import { networkInterfaces } from "node:os";
import { isPermissionError } from "./deno-permissions.ts";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Whether `host` can only be reached from this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

export interface ConnectAddresses {
  /** What to type after `alice@`, best first. */
  addresses: string[];
  /** Why this machine's addresses could not be listed, if they could not. */
  unlisted?: string;
}

export function connectAddresses(host: string): ConnectAddresses {
  if (isLoopback(host)) return { addresses: ["localhost"] };
  if (host !== "0.0.0.0" && host !== "::") return { addresses: [host] };
  let interfaces;
  try {
    interfaces = Object.values(networkInterfaces()).flat();
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    return { addresses: [], unlisted: "to list this machine's addresses here, give Deno --allow-sys=networkInterfaces" };
  }
  // "::" also takes IPv4 connections; a link-local IPv6 address would need its interface name.
  const lan = interfaces
    .filter((each) => each && !each.internal)
    .filter((each) => each!.family === "IPv4" || (host === "::" && !each!.address.startsWith("fe80:")))
    .map((each) => each!.address);
  return lan.length > 0
    ? { addresses: [...new Set(lan)] }
    : { addresses: [], unlisted: "this machine has no network address besides loopback" };
}
