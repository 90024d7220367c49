/**
 * A Protocol that throws ends its own session with one log line; every other session goes
 * on. And an echo whose client does not read makes the server stop reading, not buffer.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import type { ServerChannel } from "ssh2";
import * as input from "../lessons/05-input.ts";
import { EchoProtocol } from "../lessons/07-protocols.ts";
import { ConnectionDone } from "../lessons/twisted/protocol.ts";
import { protocols, QuietEcho, serveInProcess } from "./helpers/in-process.ts";
import { eventually, logIn, openShell, within } from "./helpers/ssh-client.ts";

type Fault = "connectionMade" | "dataReceived" | "connectionLost" | undefined;

test("an exception in a Protocol callback ends that session only, with one log line", async (t) => {
  const faults: Fault[] = []; // what the next sessions' protocols will throw in, in order
  const lost: string[] = [];
  class Faulty extends EchoProtocol {
    fault = faults.shift();
    override connectionMade() {
      if (this.fault === "connectionMade") throw new Error("boom in connectionMade");
      super.connectionMade();
    }
    override dataReceived(bytes: Buffer) {
      if (this.fault === "dataReceived") throw new Error("boom in dataReceived");
      super.dataReceived(bytes);
    }
    override connectionLost(reason: Error) {
      lost.push(String(reason));
      if (this.fault === "connectionLost") throw new Error("boom in connectionLost");
    }
  }
  const server = await serveInProcess(protocols, { makeProtocol: () => new Faulty() });
  const bystanderClient = await logIn(server.port);
  const bystander = await openShell(bystanderClient, { term: "xterm", cols: 80, rows: 24 });
  await bystander.waitFor("Echo protocol connected\r\n");
  const bystanderStillEchoes = async (text: string) => {
    const from = bystander.received().length;
    bystander.channel.write(text);
    await bystander.waitFor(`echo: '${text}'\r\n`, from);
  };

  for (const fault of ["connectionMade", "dataReceived", "connectionLost"] as const) {
    await t.test(fault, async () => {
      faults.push(fault);
      const client = await logIn(server.port);
      const shell = await openShell(client);
      if (fault === "dataReceived") shell.channel.write("x");
      if (fault === "connectionLost") shell.channel.end(); // a clean end, then the throw
      await shell.closed();
      const line = new RegExp(`error in the lesson's code: Error: boom in ${fault} \\(at .*protocol-faults\\.test\\.ts`);
      await eventually(() => server.log.some((entry) => line.test(entry)), `log line for ${fault}`);
      assert.equal(server.log.filter((entry) => line.test(entry)).length, 1);
      await bystanderStillEchoes(fault);
      client.end();
    });
  }
  assert.equal(lost.length, 3, "connectionLost ran once for each faulty session");
  bystanderClient.end();
  await server.close();
  assert.equal(lost.length, 4);
  assert.equal(lost[3], String(new ConnectionDone()));
});

const MB = 1 << 20;

for (const [name, serve] of [
  ["lesson 5's echo", (onShell: (channel: ServerChannel) => void) => serveInProcess(input, { onShell })],
  ["lesson 7's transport", (onShell: (channel: ServerChannel) => void) =>
    serveInProcess(protocols, { makeProtocol: () => new QuietEcho(), onShell })],
] as const) {
  test(`${name}: a client that sends 16 MB and reads nothing makes the server wait, and loses nothing`, async () => {
    const serverChannels: ServerChannel[] = [];
    const server = await serve((channel) => serverChannels.push(channel));
    const client = await logIn(server.port);
    const shell = await openShell(client);
    shell.channel.pause(); // read nothing
    await eventually(() => serverChannels.length > 0, "the shell");
    const serverChannel = serverChannels[0];
    const paused = new Promise<void>((resolve) => serverChannel.once("pause", () => resolve()));
    const chunk = Buffer.alloc(64 * 1024, "a");
    for (let sent = 0; sent < 16 * MB; sent += chunk.length) shell.channel.write(chunk);

    await within(paused, "the server pausing its input");
    // While paused, what the server holds is bounded by ssh2's windows and buffers.
    assert.ok(serverChannel.writableLength <= 4 * MB, `${serverChannel.writableLength} bytes waiting to go out`);
    assert.ok(serverChannel.readableLength <= 4 * MB, `${serverChannel.readableLength} bytes waiting to be read`);

    // Once the client reads again, every byte comes back.
    let echoed = 0;
    const all = new Promise<void>((resolve) => {
      shell.channel.on("data", (data: Buffer) => {
        for (const byte of data) if (byte === 0x61) echoed += 1;
        if (echoed >= 16 * MB) resolve();
      });
    });
    shell.channel.resume();
    await within(all, () => `the echo of 16 MB (${echoed} bytes so far)`);
    assert.equal(echoed, 16 * MB);
    client.end();
    await server.close();
  });
}
