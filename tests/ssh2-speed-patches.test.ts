/**
 * The ssh2 patches numbered 010-015 in `patches/` (see patches/README.md; 001-004 are in
 * ssh2-patches.test.ts), each checked where it shows: every test here fails on an unpatched
 * ssh2 1.17.0.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { generateKeyPairSync, KeyObject, verify } from "node:crypto";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import ssh2 from "ssh2";
import type { Connection } from "ssh2";
import { QuietEcho, protocolLesson, type InProcessServer, serveInProcess } from "./helpers/in-process.ts";
import { startLesson } from "./helpers/lesson-process.ts";
import { OpenSsh } from "./helpers/openssh.ts";
import { logIn } from "./helpers/ssh-client.ts";

const { utils } = ssh2;
const require = createRequire(import.meta.url);

/** ssh2's internals that these tests look at (none of it is public API). */
interface Internals {
  _protocol: {
    _remoteIdentRaw: Buffer;
    _decipher: Record<string, unknown>;
    _kex: Record<string, unknown>;
  };
}

describe("ssh2 patches", { concurrency: false }, () => {
  let server: InProcessServer;
  const connections: Connection[] = [];
  before(async () => {
    server = await serveInProcess(protocolLesson(() => new QuietEcho()), { onConnection: (client) => connections.push(client) });
  });
  after(() => server?.close());

  test("010: an X25519 key exchange exports no key as DER (server and client in this process)", async () => {
    // The prototype that holds a public key's export() (PublicKeyObject's, under Node).
    let holder: { export: KeyObject["export"] } = generateKeyPairSync("x25519").publicKey;
    while (!Object.hasOwn(holder, "export")) holder = Object.getPrototypeOf(holder);
    const exportKey = holder.export;
    let derExports = 0;
    holder.export = function (this: KeyObject, options?: { format?: string }) {
      if (options?.format === "der" && this.asymmetricKeyType === "x25519") derExports++;
      return exportKey.call(this, options as never);
    } as typeof exportKey;
    try {
      const client = await logIn(server.port);
      client.end();
    } finally {
      holder.export = exportKey;
    }
    assert.equal(derExports, 0);
  });

  test("010: OpenSSH's ssh still agrees on both curve25519 names with a lesson's server", async () => {
    const lesson = await startLesson("protocols");
    const ssh = OpenSsh.forServer(lesson.port);
    try {
      for (const kex of ["curve25519-sha256", "curve25519-sha256@libssh.org"]) {
        const run = ssh.run({ stdin: "x25519\n", args: ["-o", `KexAlgorithms=${kex}`, "-v"] });
        assert.equal(await run.exitCode(), 0, run.output);
        assert.ok(run.output.includes(`kex: algorithm: ${kex}\r\n`), run.output);
        assert.ok(run.output.includes("echo: 'x25519\\n'\r\n"), run.output); // (-v's lines come between)
      }
    } finally {
      ssh.remove();
      await lesson.stop();
    }
  });

  test("011: packet padding comes from a pool, not one randomFillSync per packet", () => {
    // A fresh copy of ssh2's crypto.js, loaded with a counting randomFillSync.
    const crypto = require("node:crypto") as { randomFillSync: (...args: unknown[]) => unknown };
    const path = require.resolve("ssh2/lib/protocol/crypto.js");
    const original = crypto.randomFillSync;
    let fills = 0;
    crypto.randomFillSync = function (...args: unknown[]) {
      fills++;
      return original.apply(this, args);
    };
    const cache = require.cache as Record<string, unknown>;
    const loaded = cache[path];
    try {
      delete cache[path];
      const { NullCipher } = require(path) as {
        NullCipher: new (seqno: number, onWrite: () => void) => { allocPacket(length: number): Buffer };
      };
      const cipher = new NullCipher(0, () => {});
      const paddings = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const packet = cipher.allocPacket(11); // 4 + 1 + 11 + 16 bytes of padding
        paddings.add(packet.subarray(16).toString("hex"));
      }
      assert.equal(paddings.size, 1000, "each packet's padding is different");
      assert.ok(fills <= 5, `${fills} fills for 1000 packets`);
    } finally {
      crypto.randomFillSync = original;
      if (loaded) cache[path] = loaded;
    }
  });

  test("012: after the handshake, no ephemeral private key and no closure over the shared secret", async () => {
    const client = await logIn(server.port);
    try {
      const kex = (connections.at(-1) as unknown as Internals)._protocol._kex;
      assert.equal(kex.sessionID instanceof Buffer, true, "the session id stays");
      assert.equal(Object.hasOwn(kex, "finish"), false, "the handshake's closure (it holds the shared secret)");
      const privateKeys = Object.values(kex).flatMap((value) =>
        value && typeof value === "object" ? [value, ...Object.values(value)] : []
      ).filter((value) => value instanceof KeyObject && value.type === "private");
      assert.equal(privateKeys.length, 0, "the ephemeral X25519 private key");
    } finally {
      client.end();
    }
  });

  test("013: 1,000 generated ed25519 keys (and one whose public key starts with a zero byte) parse and sign", () => {
    const data = Buffer.from("ssh-in-60-seconds");
    let withLeadingZero = 0;
    for (let generated = 0; generated < 1000 || (withLeadingZero === 0 && generated < 10_000); generated++) {
      const pair = utils.generateKeyPairSync("ed25519");
      const key = utils.parseKey(pair.private);
      assert.ok(!(key instanceof Error), `key ${generated + 1}: ${key}\n${pair.public}`);
      const publicBlob = key.getPublicSSH();
      assert.equal(publicBlob.length, 4 + 11 + 4 + 32, `key ${generated + 1}: ${pair.public}`);
      assert.ok(key.verify(data, key.sign(data)), `key ${generated + 1} signs: ${pair.public}`);
      const fromLine = utils.parseKey(pair.public);
      assert.ok(!(fromLine instanceof Error) && fromLine.getPublicSSH().equals(publicBlob));
      if (publicBlob[4 + 11 + 4] === 0) withLeadingZero++;
    }
    assert.ok(withLeadingZero > 0, "met a key whose public key starts with 0x00");
  });

  test("014: what a connection keeps for its life is not a slice of Buffer's 8 KiB pool", async () => {
    const client = await logIn(server.port);
    try {
      const protocol = (connections.at(-1) as unknown as Internals)._protocol;
      const kept = [protocol._remoteIdentRaw, ...Object.values(protocol._decipher)]
        .filter((value): value is Buffer => value instanceof Uint8Array && value.length > 0);
      assert.ok(kept.length >= 2, "the client's version line and the decipher's tag or MAC");
      for (const buffer of kept) {
        assert.ok(buffer.buffer.byteLength < Buffer.poolSize, `a ${buffer.length}-byte buffer in a pool slab`);
      }
    } finally {
      client.end();
    }
  });

  test("015: a key is parsed once and signs as a KeyObject, not as its PEM text each time", () => {
    // A fresh copy of ssh2's keyParser.js, loaded with a recording crypto.sign and a counting
    // createPrivateKey (it takes both from node:crypto when it loads).
    const crypto = require("node:crypto") as Record<"sign" | "createPrivateKey", (...args: unknown[]) => unknown>;
    const path = require.resolve("ssh2/lib/protocol/keyParser.js");
    const { sign, createPrivateKey } = crypto;
    const signedWith: unknown[] = [];
    let parses = 0;
    let parseFails = false;
    crypto.sign = function (...args: unknown[]) {
      signedWith.push(args[2]);
      return sign.apply(this, args);
    };
    crypto.createPrivateKey = function (...args: unknown[]) {
      parses++;
      if (parseFails) throw new Error("this runtime cannot parse that");
      return createPrivateKey.apply(this, args);
    };
    const cache = require.cache as Record<string, unknown>;
    const loaded = cache[path];
    const fresh = () => {
      delete cache[path];
      return require(path) as { parseKey: typeof utils.parseKey };
    };
    try {
      const data = Buffer.from("an exchange hash");
      const check = (parseKey: typeof utils.parseKey, type: "ed25519" | "rsa", algo?: string) => {
        const key = parseKey(utils.generateKeyPairSync(type, type === "rsa" ? { bits: 1024 } : {}).private);
        assert.ok(!(key instanceof Error) && !Array.isArray(key), String(key));
        const signatures = [1, 2, 3].map(() => key.sign(data, algo));
        for (const signature of signatures) {
          assert.ok(signature instanceof Buffer, String(signature));
          assert.ok(verify(algo ?? null, data, key.getPublicPEM(), signature), `${type} ${algo ?? ""} signature verifies`);
        }
        assert.equal(typeof key.getPrivatePEM(), "string", "getPrivatePEM() still gives the PEM text");
        return signedWith.splice(0);
      };
      const patched = fresh();
      for (const [type, algo] of [["ed25519"], ["rsa", "sha256"], ["rsa", "sha512"]] as const) {
        parses = 0;
        const used = check(patched.parseKey, type, algo);
        assert.ok(used.length === 3 && used.every((key) => key instanceof KeyObject), `${type}: signed with ${used.map((key) => typeof key)}`);
        assert.equal(parses, 1, `${type}: the PEM parsed once for three signatures`);
      }
      // A runtime that cannot parse the PEM into a KeyObject: the text is used, as before.
      parseFails = true;
      const used = check(fresh().parseKey, "ed25519");
      assert.ok(used.every((key) => typeof key === "string"), "signed with the PEM text");
    } finally {
      crypto.sign = sign;
      crypto.createPrivateKey = createPrivateKey;
      if (loaded) cache[path] = loaded;
    }
  });
});
