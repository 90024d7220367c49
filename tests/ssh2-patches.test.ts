/**
 * What patches/ssh2+1.17.0+00N+*.patch fix, each shown with ssh2's own client made to do what
 * another client does (Dropbear's guessed key-exchange packet, asyncssh's IGNORE and channel
 * data during a rekey, paramiko's repeated ssh-userauth request), so that these run wherever
 * the suites run, Deno included. Each fails without its patch. Also: an ssh2 error on a
 * compressed connection ends it with one log line, and --trace and connectionLost give the
 * real reason. (tests/clients.test.ts drives the real clients.)
 *
 * The raw packets go through ssh2 1.17.0's internals (pinned in package.json).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { after, before, test } from "node:test";
import ssh2 from "ssh2";
import type { ConnectConfig } from "ssh2";
import { type InProcessServer, protocolLesson, QuietEcho, serveInProcess } from "./helpers/in-process.ts";
import { startLesson, UNDER_DENO } from "./helpers/lesson-process.ts";
import { eventually, openShell, type Shell, within } from "./helpers/ssh-client.ts";

const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

/** The parts of ssh2's Protocol these tests reach into. */
interface RawProtocol {
  rekey(): void;
  service(name: string): void;
  _kexinit?: Buffer;
  _cipher: { encrypt(packet: Buffer): void };
  _packetRW: { write: { allocStartKEX: number; alloc(size: number, force: boolean): Buffer; finalize(packet: Buffer, force: boolean): Buffer } };
}
const protocolOf = (client: Client) => (client as unknown as { _protocol: RawProtocol })._protocol;

/** Sends one packet now, even in the middle of a key exchange (where ssh2 would queue it). */
function sendNow(client: Client, payload: Buffer): void {
  const protocol = protocolOf(client);
  const writer = protocol._packetRW.write;
  const packet = writer.alloc(payload.length, true);
  packet.set(payload, writer.allocStartKEX);
  protocol._cipher.encrypt(writer.finalize(packet, true));
}

const uint32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const sshString = (text: string) => Buffer.concat([uint32(Buffer.byteLength(text)), Buffer.from(text)]);
const IGNORE = 2;
const CHANNEL_DATA = 94;

/** Connects with `config` and resolves once logged in (or rejects with ssh2's error). */
function connect(port: number, config: Partial<ConnectConfig> = {}, beforeStart?: (client: Client) => void): Promise<Client> {
  const client = new Client();
  return within(
    new Promise<Client>((resolve, reject) => {
      client.once("ready", () => resolve(client));
      client.once("error", reject);
      client.once("close", () => reject(new Error("closed before logging in")));
      client.connect({ host: "127.0.0.1", port, username: "alice", password: "goodpassword", ...config });
      beforeStart?.(client);
    }),
    "logging in",
  ).catch((error) => {
    client.end();
    throw error;
  });
}

let server: InProcessServer;
before(async () => (server = await serveInProcess(protocolLesson(() => new QuietEcho()))));
after(() => server.close());

/** A lesson 7 shell that has shown its banner. */
async function echoShell(client: Client): Promise<Shell> {
  const shell = await openShell(client);
  await shell.waitFor("Echo protocol connected\r\n");
  return shell;
}

/**
 * Makes `client`'s first KEXINIT say that a guessed key-exchange packet follows (as Dropbear's
 * does); its KEXECDH_INIT, sent as usual, is that packet. With `wrongGuess`, a bogus guess is
 * sent right after the KEXINIT, for the server to drop.
 */
function guessFirstPacket(client: Client, wrongGuess: boolean): void {
  const protocol = protocolOf(client);
  const cipher = protocol._cipher;
  const encrypt = cipher.encrypt;
  let done = false;
  cipher.encrypt = function (packet: Buffer) {
    const kexinit = protocol._kexinit;
    if (done || !kexinit || packet[5] !== 20) return encrypt.call(this, packet);
    done = true;
    // first_kex_packet_follows, the byte before the final uint32, in what is sent and in
    // what goes into the exchange hash.
    kexinit[kexinit.length - 5] = 1;
    packet[5 + kexinit.length - 5] = 1;
    encrypt.call(this, packet);
    if (wrongGuess) sendNow(client, Buffer.from([30, 0, 0, 0, 32, ...Buffer.alloc(32)])); // KEXECDH_INIT
  };
}

test("001 kex-guess: a right guess at the key exchange is used, not dropped (Dropbear's dbclient)", async () => {
  // The server prefers curve25519-sha256 and ssh-ed25519: a client preferring the same
  // guessed right.
  const client = await connect(server.port, {
    algorithms: { kex: ["curve25519-sha256"], serverHostKey: ["ssh-ed25519"] },
  }, (c) => guessFirstPacket(c, false));
  await echoShell(client);
  client.end();
});

test("001 kex-guess: a wrong guess is still dropped", async () => {
  const client = await connect(server.port, {
    algorithms: { kex: ["curve25519-sha256@libssh.org", "curve25519-sha256"], serverHostKey: ["ssh-ed25519"] },
  }, (c) => guessFirstPacket(c, true));
  await echoShell(client);
  client.end();
});

/** Starts a rekey from the client, sends `payload` right after its KEXINIT, then checks the echo. */
async function duringRekey(payload: (shell: Shell) => Buffer, expectEcho: string): Promise<void> {
  const client = await connect(server.port);
  try {
    const shell = await echoShell(client);
    const from = shell.received().length;
    const rekeyed = new Promise<void>((resolve) => client.once("handshake", () => resolve()));
    protocolOf(client).rekey();
    sendNow(client, payload(shell));
    await within(rekeyed, "the rekey");
    shell.channel.write("after");
    await shell.waitFor(`${expectEcho}echo: 'after'\r\n`, from);
  } finally {
    client.end();
  }
}

test("002 strict-kex-rekey: an SSH_MSG_IGNORE during a rekey is ignored (asyncssh)", async () => {
  await duringRekey(() => Buffer.concat([Buffer.from([IGNORE]), sshString("")]), "");
});

test("003 rekey-connection-messages: channel data during a rekey is handled (asyncssh)", async () => {
  const data = (shell: Shell) => {
    const remoteId = (shell.channel as unknown as { outgoing: { id: number } }).outgoing.id;
    return Buffer.concat([Buffer.from([CHANNEL_DATA]), uint32(remoteId), sshString("during")]);
  };
  await duringRekey(data, "echo: 'during'\r\n");
});

/** Logs in the way paramiko does: a new ssh-userauth (or `service`) request before the password. */
function askForServiceAgain(port: number, service: string): Promise<Client> {
  let calls = 0;
  let client: Client | undefined;
  return connect(port, {
    authHandler(_methods, _partial, next) {
      calls += 1;
      if (calls === 1) return next({ type: "none", username: "alice" });
      // ssh2 asks again once the server accepts the service.
      if (calls === 2) return protocolOf(client!).service(service);
      next({ type: "password", username: "alice", password: "goodpassword" });
    },
  }, (c) => (client = c));
}

test("004 repeated-userauth-service: a second ssh-userauth request before login is accepted (paramiko)", async () => {
  const client = await askForServiceAgain(server.port, "ssh-userauth");
  await echoShell(client);
  client.end();
});

test("another service before login is refused, and the log says the server cut it off", async () => {
  const from = server.log.length;
  await assert.rejects(askForServiceAgain(server.port, "ssh-connection"));
  const lines = () => server.log.slice(from).map((line) => line.replace(/^\[[\d.:]+\] /, ""));
  await eventually(() => lines().length > 0, "the log line");
  assert.deepEqual(lines(), ["cut off by ssh2 before logging in: service not available"]);
});

test("an ssh2 error (on a compressed connection, under Node): one log line, and the real reason in connectionLost and --trace", async () => {
  const lesson = await startLesson("protocols", ["--trace"]);
  try {
    // Under Deno the server offers no compression (lessons/shared/algorithms.ts).
    const client = await connect(lesson.port, UNDER_DENO ? {} : { algorithms: { compress: ["zlib@openssh.com"] } });
    const shell = await echoShell(client);
    client.on("error", () => {}); // the server's disconnect
    sendNow(client, Buffer.from([CHANNEL_DATA])); // no channel, no data: malformed
    await shell.closed();
    const reason = "Inbound: Malformed CHANNEL_DATA packet";
    await lesson.waitForLine(new RegExp(`^#1 +connectionLost: ${reason}$`));
    await lesson.waitForLine(new RegExp(`^Connection lost ConnectionLost: ${reason}$`));
    assert.match(lesson.stdout.text, /^#1 +key exchange: .*$/m);
    await lesson.stderr.waitFor(new RegExp(`^\\[1 127\\.0\\.0\\.1:\\d+\\] ${reason}$`));
    const after = lesson.stderr.lines.filter((line) => !/logged in with password/.test(line));
    assert.deepEqual(after.map((line) => line.replace(/^\[1 [\d.:]+\] /, "")), [reason], lesson.stderr.text);
    client.end();
  } finally {
    await lesson.stop();
  }
});
