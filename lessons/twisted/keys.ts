/**
 * The server's host keys, from `keys/`: the counterpart of article 1's `Key.fromString`
 * (`twisted.conch.ssh.keys`). The article makes one with `ckeygen -t rsa -f id_rsa`; here,
 * when the folder holds no key, an ed25519 key is generated on the first run (mode 0600,
 * git-ignored) and reused after that. The article's `id_rsa` is served too when present.
 *
 * @example
 * ```ts
 * import { loadHostKeys } from "./keys.ts";
 * const hostKeys = loadHostKeys("keys"); // ready for new ssh2.Server({ hostKeys })
 * for (const key of hostKeys) console.log(key.label, key.fingerprint);
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import process from "node:process";
import ssh2 from "ssh2";
import type { ParsedKey } from "ssh2";
import { describe, UserError } from "../server/user-error.ts";

const { utils } = ssh2;

/** The file names looked for in the keys folder, in order. The first is generated if none exists. */
export const HOST_KEY_FILES = ["ssh_host_ed25519_key", "ssh_host_rsa_key", "id_ed25519", "id_rsa"];

/** One host key: `key` is what ssh2's `hostKeys` option takes; the rest is for people. */
export interface HostKey {
  /** The private key, parsed by ssh2. */
  key: ParsedKey;
  file: string;
  /** The SSH key type, e.g. `ssh-ed25519`. */
  type: string;
  /** How `ssh` names the type in its messages, e.g. `ED25519`. */
  label: string;
  /** `SHA256:…`, exactly as `ssh` prints it. */
  fingerprint: string;
}

/** Each key file is read and parsed once per process, so every user of it shares one key. */
const loaded = new Map<string, HostKey>();

/** Loads every host key in `dir`, generating an ed25519 one first if there is none. */
export function loadHostKeys(dir: string): HostKey[] {
  const present = HOST_KEY_FILES.map((name) => join(dir, name)).filter((file) => existsSync(file));
  if (present.length === 0) present.push(generateHostKey(join(dir, HOST_KEY_FILES[0])));
  return present.map((file) => {
    const known = loaded.get(resolve(file)) ?? readHostKey(file);
    loaded.set(resolve(file), known);
    return known;
  });
}

/** Reads and checks one private host key file. */
export function readHostKey(file: string): HostKey {
  let data: string;
  try {
    data = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(`${file}: cannot read the host key (${describe(error)})`);
  }
  const parsed = utils.parseKey(data);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    throw new UserError(`${file}: not a usable host key (${key?.message ?? "no key found"})`);
  }
  if (!key.isPrivateKey()) throw new UserError(`${file}: holds a public key; the server needs the private key`);
  return { key, file, type: key.type, label: labelOf(key.type), fingerprint: fingerprintOf(key.getPublicSSH()) };
}

/** The SHA256 fingerprint of a public key blob, as `ssh` and `ssh-keygen -l` print it. */
export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(publicBlob).digest("base64").replace(/=+$/, "")}`;
}

function labelOf(type: string): string {
  if (type === "ssh-ed25519") return "ED25519";
  if (type === "ssh-rsa") return "RSA";
  if (type.startsWith("ecdsa-")) return "ECDSA";
  return type.toUpperCase();
}

/**
 * Writes a new ed25519 key to `file` (and its `.pub`). The key is written to a temporary
 * name and hard-linked into place, so two servers starting at once never see half a key.
 */
function generateHostKey(file: string): string {
  const pair = utils.generateKeyPairSync("ed25519", { comment: "ssh-in-60-seconds host key" });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, pair.private, { mode: 0o600 });
    try {
      linkSync(temporary, file);
      writeFileSync(`${file}.pub`, `${pair.public}\n`);
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  } catch (error) {
    throw new UserError(`${file}: cannot create the host key (${describe(error)})`);
  } finally {
    try {
      unlinkSync(temporary);
    } catch { /* never written */ }
  }
  return file;
}
