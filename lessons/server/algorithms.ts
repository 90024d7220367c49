/**
 * The algorithms every lesson's server offers, in one place. The rule: nothing that ssh-audit
 * marks [fail], and a [warn]ed algorithm only where a client students use needs it (the
 * README's client table lists them; `tests/clients.test.ts` drives each one). Each list works
 * under both Node and Deno.
 *
 * @example
 * ```ts
 * import { ALGORITHMS } from "./algorithms.ts";
 * new ssh2.Server({ hostKeys, algorithms: ALGORITHMS }, onConnection);
 * ```
 * @module
 */
import type { Algorithms } from "ssh2";

export const ALGORITHMS = {
  /**
   * Every client in the table negotiates curve25519. Left out: ecdh-sha2-nistp256/384
   * (ssh-audit [fail], NIST curves), ecdh-sha2-nistp521 (fails under Deno), and
   * diffie-hellman-group-exchange (ssh2's server does not implement it): a client that
   * insists on one of them gets a clean "no matching key exchange method".
   */
  kex: [
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    "diffie-hellman-group14-sha256",
    "diffie-hellman-group16-sha512",
    "diffie-hellman-group18-sha512",
  ],
  /**
   * Under Deno there is no native binding and Deno's AES-GCM has no hardware path (about 165
   * MB/s here, against 300 for AES-CTR with HMAC and over 1 GB/s for ChaCha20), so no AES-GCM
   * there: the client's order decides among what both offer (RFC 4253 §7.1), and leaving it
   * out is what keeps a client that lists it first (ssh2's, Go's) off the slow path.
   */
  cipher: [
    "chacha20-poly1305@openssh.com",
    ...("Deno" in globalThis ? [] : ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com"] as const),
    "aes128-ctr",
    "aes192-ctr",
    "aes256-ctr",
  ],
  /**
   * Encrypt-then-MAC first. hmac-sha2-256 (encrypt-and-MAC, an ssh-audit [warn]) stays for
   * paramiko 2.12, which knows no -etm MAC and no AEAD cipher. hmac-sha1 and
   * hmac-sha1-etm (weak hash) and hmac-sha2-512 (encrypt-and-MAC) are needed by no one.
   */
  hmac: [
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com",
    "hmac-sha2-256",
  ],
  /**
   * Only zlib@openssh.com, which starts after the login (as sshd offers it): plain "zlib"
   * would run the decompressor on what anyone sends before logging in. None under Deno:
   * ssh2's zlib code reaches into Node's zlib internals, and a compressed session there fails
   * at its first packet (asyncssh and dbclient ask for compression by default).
   */
  compress: "Deno" in globalThis ? ["none"] : ["none", "zlib@openssh.com"],
} satisfies Algorithms;
