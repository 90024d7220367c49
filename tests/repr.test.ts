/** `repr` must print exactly what CPython's repr(bytes) prints, minus the leading b. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import { repr } from "../lessons/twisted/repr.ts";

/** Asks python3 for the repr of each byte string (sent as hex, one per line). */
function pythonRepr(samples: Buffer[]): string[] {
  const script = "import sys\nfor line in sys.stdin:\n    print(repr(bytes.fromhex(line.strip()))[1:])";
  const run = spawnSync("python3", ["-c", script], {
    input: samples.map((sample) => sample.toString("hex")).join("\n") + "\n",
    encoding: "utf8",
    timeout: 10_000,
  });
  assert.equal(run.error, undefined, `python3 could not be run: ${run.error}`);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split("\n").slice(0, -1);
}

/** A small seeded generator (xorshift32), so a failure can be reproduced. */
function randomBytes(seed: number, count: number): Buffer[] {
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const tricky = [0x27, 0x22, 0x5c, 0x0a, 0x0d, 0x09, 0x00, 0x7f, 0x80, 0xff];
  return Array.from({ length: count }, () =>
    Buffer.from(Array.from({ length: Math.floor(next() * 40) }, () =>
      // Half the time a byte that needs care (quotes, backslash, controls), else any byte.
      next() < 0.5 ? tricky[Math.floor(next() * tricky.length)] : Math.floor(next() * 256)
    ))
  );
}

test("every single byte, and the empty string", () => {
  const samples = [Buffer.alloc(0), ...Array.from({ length: 256 }, (_, byte) => Buffer.from([byte]))];
  assert.deepEqual(samples.map(repr), pythonRepr(samples));
});

test("400 random byte strings, heavy on quotes and escapes", () => {
  const samples = randomBytes(20110801, 400);
  assert.deepEqual(samples.map(repr), pythonRepr(samples));
});

test("the articles' examples", () => {
  assert.equal(repr(Buffer.from("h")), "'h'");
  assert.equal(repr(Buffer.from("\r")), "'\\r'");
  assert.equal(repr(Buffer.from("it's")), `"it's"`);
  assert.equal(repr(Buffer.from("both ' and \"")), `'both \\' and "'`);
  assert.equal(repr(Buffer.from("ü")), "'\\xc3\\xbc'");
  assert.equal(repr(new Uint8Array([3])), "'\\x03'");
});
