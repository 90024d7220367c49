/**
 * lessons/server/ssh2-debug.ts reads ssh2's `debug` text, which is no public API. This suite
 * fails loudly, naming the line, when an ssh2 release changes it: ssh2 must be exactly 1.17.0,
 * each line form 1.17.0 writes must read as before, and a real session through a bare ssh2
 * Server (with its public `debug` option) must give only lines that read as messages or as
 * ssh2's own notes, with the messages in the order the RFCs have them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ssh2 from "ssh2";
import type { ClientChannel, Connection } from "ssh2";
import { ALGORITHMS } from "../lessons/server/algorithms.ts";
import { type DebugLine, readDebugLine } from "../lessons/server/ssh2-debug.ts";
import { onClientPayload, onDebug, onSend, serverVersion } from "../lessons/server/ssh2-hooks.ts";
import { loadHostKeys } from "../lessons/twisted/keys.ts";
import { ROOT } from "./helpers/lesson-process.ts";
import { eventually, logIn, within } from "./helpers/ssh-client.ts";

const CHANGED = "ssh2's debug text changed; lessons/server/ssh2-debug.ts must follow:";

test("ssh2 is pinned at exactly 1.17.0, installed, in package.json and in deno.json", () => {
  const installed = JSON.parse(readFileSync(join(ROOT, "node_modules/ssh2/package.json"), "utf8")).version;
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const deno = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  assert.equal(installed, "1.17.0", `ssh2 ${installed} is installed: re-check ${CHANGED.split(";")[1].trim()}`);
  assert.equal(manifest.dependencies.ssh2, "1.17.0");
  assert.equal(deno.imports.ssh2, "npm:ssh2@1.17.0");
});

/** Every form of line ssh2 1.17.0 writes for a message a server sends or receives, and what it says. */
const FORMS: [string, DebugLine][] = [
  ["Outbound: Sending KEXINIT", { kind: "message", message: { direction: "out", name: "KEXINIT" } }],
  ["Inbound: Handshake in progress", { kind: "message", message: { direction: "in", name: "KEXINIT" } }],
  ["Received DH Init", { kind: "message", message: { direction: "in", name: "KEX_INIT" } }],
  ["Outbound: Sending KEXECDH_REPLY", { kind: "message", message: { direction: "out", name: "KEX_ECDH_REPLY" } }],
  ["Outbound: Sending KEXDH_REPLY", { kind: "message", message: { direction: "out", name: "KEXDH_REPLY" } }],
  ["Outbound: Sending NEWKEYS", { kind: "message", message: { direction: "out", name: "NEWKEYS" } }],
  ["Inbound: NEWKEYS", { kind: "message", message: { direction: "in", name: "NEWKEYS" } }],
  ["Outbound: Sending EXT_INFO", { kind: "message", message: { direction: "out", name: "EXT_INFO" } }],
  ["Inbound: Received SERVICE_REQUEST (ssh-userauth)", { kind: "message", message: { direction: "in", name: "SERVICE_REQUEST", detail: "ssh-userauth" } }],
  ["Outbound: Sending SERVICE_ACCEPT (ssh-userauth)", { kind: "message", message: { direction: "out", name: "SERVICE_ACCEPT", detail: "ssh-userauth" } }],
  ["Inbound: Received USERAUTH_REQUEST (password)", { kind: "message", message: { direction: "in", name: "USERAUTH_REQUEST", detail: "password" } }],
  ["Outbound: Sending USERAUTH_FAILURE", { kind: "message", message: { direction: "out", name: "USERAUTH_FAILURE" } }],
  ["Outbound: Sending USERAUTH_SUCCESS", { kind: "message", message: { direction: "out", name: "USERAUTH_SUCCESS" } }],
  ["Inbound: GLOBAL_REQUEST (keepalive@openssh.com)", { kind: "message", message: { direction: "in", name: "GLOBAL_REQUEST", detail: "keepalive@openssh.com" } }],
  ["Outbound: Sending ping (GLOBAL_REQUEST: keepalive@openssh.com)", { kind: "message", message: { direction: "out", name: "GLOBAL_REQUEST", detail: "keepalive@openssh.com" } }],
  ["Outbound: Sending REQUEST_FAILURE", { kind: "message", message: { direction: "out", name: "REQUEST_FAILURE" } }],
  ["Inbound: Received REQUEST_FAILURE", { kind: "message", message: { direction: "in", name: "REQUEST_FAILURE" } }],
  ["Inbound: CHANNEL_OPEN (s:0, session)", { kind: "message", message: { direction: "in", name: "CHANNEL_OPEN", sender: 0, detail: "session" } }],
  ["Outbound: Sending CHANNEL_OPEN_CONFIRMATION (r:0, l:1)", { kind: "message", message: { direction: "out", name: "CHANNEL_OPEN_CONFIRMATION", recipient: 0, local: 1 } }],
  ["Outbound: Sending CHANNEL_OPEN_FAILURE (r:3)", { kind: "message", message: { direction: "out", name: "CHANNEL_OPEN_FAILURE", recipient: 3 } }],
  ["Inbound: CHANNEL_REQUEST (r:0, pty-req)", { kind: "message", message: { direction: "in", name: "CHANNEL_REQUEST", recipient: 0, detail: "pty-req" } }],
  ["Inbound: CHANNEL_REQUEST (r:0, env: LANG=C.UTF-8)", { kind: "message", message: { direction: "in", name: "CHANNEL_REQUEST", recipient: 0, detail: "env: LANG=C.UTF-8" } }],
  ["Outbound: Sending CHANNEL_REQUEST (r:0, exit-status: 0)", { kind: "message", message: { direction: "out", name: "CHANNEL_REQUEST", recipient: 0, detail: "exit-status: 0" } }],
  ["Outbound: Sending CHANNEL_SUCCESS (r:0)", { kind: "message", message: { direction: "out", name: "CHANNEL_SUCCESS", recipient: 0 } }],
  ["Outbound: Sending CHANNEL_FAILURE (r:0)", { kind: "message", message: { direction: "out", name: "CHANNEL_FAILURE", recipient: 0 } }],
  ["Inbound: CHANNEL_DATA (r:0, 1)", { kind: "message", message: { direction: "in", name: "CHANNEL_DATA", recipient: 0, length: 1 } }],
  ["Outbound: Sending CHANNEL_DATA (r:0, 25)", { kind: "message", message: { direction: "out", name: "CHANNEL_DATA", recipient: 0, length: 25 } }],
  ["Inbound: CHANNEL_WINDOW_ADJUST (r:0, 32768)", { kind: "message", message: { direction: "in", name: "CHANNEL_WINDOW_ADJUST", recipient: 0, length: 32768 } }],
  ["Outbound: Sending CHANNEL_WINDOW_ADJUST (r:0, 2097152)", { kind: "message", message: { direction: "out", name: "CHANNEL_WINDOW_ADJUST", recipient: 0, length: 2097152 } }],
  ["Outbound: Sending CHANNEL_EXTENDED_DATA (r:0)", { kind: "message", message: { direction: "out", name: "CHANNEL_EXTENDED_DATA", recipient: 0 } }],
  ["Inbound: CHANNEL_EOF (r:0)", { kind: "message", message: { direction: "in", name: "CHANNEL_EOF", recipient: 0 } }],
  ["Outbound: Sending CHANNEL_EOF (r:0)", { kind: "message", message: { direction: "out", name: "CHANNEL_EOF", recipient: 0 } }],
  ["Inbound: CHANNEL_CLOSE (r:0)", { kind: "message", message: { direction: "in", name: "CHANNEL_CLOSE", recipient: 0 } }],
  ["Outbound: Sending CHANNEL_CLOSE (r:0)", { kind: "message", message: { direction: "out", name: "CHANNEL_CLOSE", recipient: 0 } }],
  ['Inbound: Received DISCONNECT (11, "disconnected by user")', { kind: "message", message: { direction: "in", name: "DISCONNECT", reason: 11, description: "disconnected by user" } }],
  ["Outbound: Sending DISCONNECT (11)", { kind: "message", message: { direction: "out", name: "DISCONNECT", reason: 11 } }],
  ["Inbound: Received IGNORE", { kind: "message", message: { direction: "in", name: "IGNORE" } }],
  ["Handshake: KEX algorithm: curve25519-sha256", { kind: "other" }],
  ["Generating signature ...", { kind: "other" }],
  ["Outbound: Initiated explicit rekey", { kind: "other" }],
  ["Outbound: ... packet queued", { kind: "queued" }],
  ["Inbound: Something new (r:0)", { kind: "unknown", text: "Inbound: Something new (r:0)" }],
  ["Outbound: Sending CHANNEL_NEW_THING (r:0)", { kind: "unknown", text: "Outbound: Sending CHANNEL_NEW_THING (r:0)" }],
];

test("each form of debug line reads as before", () => {
  for (const [line, expected] of FORMS) assert.deepEqual(readDebugLine(line), expected, line);
});

/** A bare ssh2 Server (no lesson, no tutorial) with the public debug option, and the hooks --wire uses. */
function debugServer(): Promise<{ port: number; lines: string[]; hooked: string[]; payloads: number[]; sent: string[]; connections: Connection[]; close(): void }> {
  const [{ key }] = loadHostKeys(join(ROOT, "keys"));
  const seen = { lines: [] as string[], hooked: [] as string[], payloads: [] as number[], sent: [] as string[], connections: [] as Connection[] };
  const debug = (line: string) => seen.lines.push(line.replace(/^\[[\d.]+\] /, "")); // ssh2 prefixes a connection id
  const server = new ssh2.Server({ hostKeys: [{ key }], algorithms: ALGORITHMS, debug }, (client: Connection) => {
    seen.connections.push(client);
    assert.match(serverVersion(client), /^SSH-2\.0-ssh2js1\.17\.0$/, "ssh2 keeps its version line in _protocol._identRaw");
    onDebug(client, (line) => seen.hooked.push(line));
    onClientPayload(client, (payload) => seen.payloads.push(payload[0]));
    for (const method of ["authFailure", "channelOpenFail", "channelOpenConfirm"] as const) onSend(client, method, () => seen.sent.push(method));
    client.on("error", () => {});
    client.on("authentication", (attempt) => (attempt.method === "password" ? attempt.accept() : attempt.reject(["password"])));
    client.on("session", (accept) => {
      const session = accept();
      session.on("pty", (accept) => accept?.());
      session.on("env", (_accept, reject) => reject?.());
      session.on("window-change", (accept) => accept?.());
      session.on("shell", (accept) => {
        const channel = accept();
        channel.write("hello\r\n");
        channel.on("data", () => {
          channel.exit(0);
          channel.end();
        });
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as { port: number }).port, ...seen, close: () => server.close() }));
  });
}

test("a real session: every debug line reads, and the messages come in the RFCs' order", async () => {
  const server = await debugServer();
  try {
    const client = await logIn(server.port);
    // ssh2's own keepalive, both ways, and a rekey by the server.
    (client as unknown as { _protocol: { ping(): void } })._protocol.ping();
    await eventually(() => server.lines.includes("Outbound: Sending REQUEST_FAILURE"), "the answer to the keepalive");
    await within(new Promise<void>((resolve) => server.connections[0].rekey(() => resolve())), "a rekey");
    // A channel ssh2 refuses by itself (nobody listens for direct-tcpip).
    await within(new Promise<void>((resolve) => client.forwardOut("127.0.0.1", 1, "127.0.0.1", 2, (error) => (assert.ok(error), resolve()))), "direct-tcpip refused");
    const channel = await within(new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: "xterm", cols: 80, rows: 24 }, { env: { LANG: "C" } }, (error, channel) => (error ? reject(error) : resolve(channel)))
    ), "a shell");
    channel.setWindow(30, 100, 0, 0);
    await within(new Promise<void>((resolve) => channel.once("data", () => resolve())), "the greeting");
    channel.write("x");
    await within(new Promise<void>((resolve) => channel.on("close", () => resolve())), "the close");
    client.end();
    await eventually(() => server.lines.some((line) => line.startsWith("Inbound: Received DISCONNECT")), "the client's DISCONNECT");

    const unknown = server.lines.filter((line) => readDebugLine(line).kind === "unknown");
    assert.deepEqual(unknown, [], `${CHANGED} these lines are not understood`);
    const names = (lines: string[]) =>
      lines.flatMap((line) => {
        const read = readDebugLine(line);
        return read.kind === "message" ? [`${read.message.direction === "in" ? "←" : "→"} ${read.message.name}${read.message.detail ? ` ${read.message.detail}` : ""}`] : [];
      });
    // The hook sees what the option sees, from the server's KEXINIT on.
    assert.equal(server.hooked[0], "Outbound: Sending KEXINIT");
    assert.deepEqual(names(server.hooked), names(server.lines));
    assert.deepEqual(names(server.lines), [
      "→ KEXINIT", "← KEXINIT", "← KEX_INIT", "→ KEX_ECDH_REPLY", "→ NEWKEYS", "← NEWKEYS", "→ EXT_INFO",
      "← SERVICE_REQUEST ssh-userauth", "→ SERVICE_ACCEPT ssh-userauth",
      "← USERAUTH_REQUEST none", "→ USERAUTH_FAILURE", "← USERAUTH_REQUEST password", "→ USERAUTH_SUCCESS",
      "← GLOBAL_REQUEST keepalive@openssh.com", "→ REQUEST_FAILURE",
      "→ KEXINIT", "← KEXINIT", "← KEX_INIT", "→ KEX_ECDH_REPLY", "→ NEWKEYS", "← NEWKEYS",
      "← CHANNEL_OPEN direct-tcpip", "→ CHANNEL_OPEN_FAILURE",
      "← CHANNEL_OPEN session", "→ CHANNEL_OPEN_CONFIRMATION",
      "← CHANNEL_REQUEST env: LANG=C", "← CHANNEL_REQUEST pty-req", "→ CHANNEL_SUCCESS",
      "← CHANNEL_REQUEST shell", "→ CHANNEL_SUCCESS", "→ CHANNEL_DATA",
      "← CHANNEL_REQUEST window-change", "← CHANNEL_DATA",
      "→ CHANNEL_REQUEST exit-status: 0", "→ CHANNEL_EOF", "→ CHANNEL_CLOSE", "← CHANNEL_CLOSE",
      "← DISCONNECT",
    ], `${CHANGED} the messages of a session read differently`);
    // The client's payloads reach the hook (from the end of the first key exchange), and the sends.
    assert.ok(server.payloads.includes(50) && server.payloads.includes(90) && server.payloads.includes(98), `payloads: ${server.payloads}`);
    assert.deepEqual(server.sent, ["authFailure", "channelOpenFail", "channelOpenConfirm"]);
  } finally {
    server.close();
  }
});
