/**
 * The cipher a client ends up with (lessons/server/algorithms.ts): under Deno, never AES-GCM (no
 * hardware path there), chacha20-poly1305 for a client that offers it; under Node, ssh2's own
 * order. The client's order decides among what both offer (RFC 4253 §7.1).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import ssh2 from "ssh2";
import type { CipherAlgorithm } from "ssh2";
import { type InProcessServer, protocolLesson, QuietEcho, serveInProcess } from "./helpers/in-process.ts";
import { UNDER_DENO } from "./helpers/lesson-process.ts";
import { within } from "./helpers/ssh-client.ts";

const { Client } = ssh2;
let server: InProcessServer;
before(async () => (server = await serveInProcess(protocolLesson(() => new QuietEcho()))));
after(() => server?.close());

/** The cipher agreed (client to server) with a client that offers `ciphers`, in that order. */
function agreedCipher(ciphers: CipherAlgorithm[]): Promise<string> {
  const client = new Client();
  return within(
    new Promise<string>((resolve, reject) => {
      client.on("handshake", (agreed) => {
        client.end();
        resolve(agreed.cs.cipher);
      });
      client.on("error", reject);
      client.connect({ host: "127.0.0.1", port: server.port, username: "alice", algorithms: { cipher: ciphers } });
    }),
    "a handshake",
  );
}

test("a client listing AES-GCM first: AES-GCM under Node, AES-CTR under Deno", async () => {
  const cipher = await agreedCipher(["aes128-gcm@openssh.com", "aes128-ctr", "chacha20-poly1305@openssh.com"]);
  assert.equal(cipher, UNDER_DENO ? "aes128-ctr" : "aes128-gcm@openssh.com");
});

test("a client listing chacha20-poly1305 first, as OpenSSH does: chacha20-poly1305", async () => {
  assert.equal(await agreedCipher(["chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com"]), "chacha20-poly1305@openssh.com");
});

test("a client that offers only AES-GCM: served under Node, refused under Deno", async () => {
  const result = agreedCipher(["aes128-gcm@openssh.com"]);
  if (UNDER_DENO) await assert.rejects(result, /no matching C->S cipher/i);
  else assert.equal(await result, "aes128-gcm@openssh.com");
});
