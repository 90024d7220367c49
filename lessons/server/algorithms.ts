/**
 * The algorithms every lesson's server offers (ssh2's `algorithms` option).
 *
 * Key exchanges that work under both Node and Deno. ssh2's defaults also list
 * diffie-hellman-group-exchange, which its server does not implement, and
 * ecdh-sha2-nistp521, which fails under Deno; a client that insists on either now gets a
 * clean "no matching key exchange method" instead of a broken handshake.
 * @module
 */
import type { Algorithms, KexAlgorithm } from "ssh2";

export const KEY_EXCHANGES: KexAlgorithm[] = [
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "ecdh-sha2-nistp256",
  "ecdh-sha2-nistp384",
  "diffie-hellman-group14-sha256",
  "diffie-hellman-group16-sha512",
  "diffie-hellman-group18-sha512",
];

/** What every lesson's server offers: `setup.algorithms`. */
export const ALGORITHMS: Algorithms = { kex: KEY_EXCHANGES };
