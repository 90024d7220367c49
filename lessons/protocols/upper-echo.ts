/**
 * The smallest change to lesson 7's EchoProtocol: the echo comes back in upper case.
 *
 *   npx tsx tutorial.ts --lesson protocols --protocol lessons/protocols/upper-echo.ts
 *   ssh -p 2022 alice@localhost        (password: goodpassword)
 *
 * Type "hello" and see `echo: 'HELLO'`. Only a-z change; every other byte is echoed as is.
 */
import { Buffer } from "node:buffer";
import { EchoProtocol } from "../07-protocols.ts";

export default class UpperEchoProtocol extends EchoProtocol {
  override dataReceived(bytes: Buffer): void {
    super.dataReceived(Buffer.from(bytes.map((byte) => (byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte))));
  }
}
