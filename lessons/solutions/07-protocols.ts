/**
 * Exercise 7, solved: a Protocol that keeps a running total, and hangs up on "q". A module
 * exporting just the Protocol will do; lesson 7 serves it:
 *   npx tsx lessons/07-protocols.ts --protocol lessons/solutions/07-protocols.ts
 * Check your own: npm run exercise 7 lessons/my-protocols.ts
 */
import type { Buffer } from "node:buffer";
import { Protocol } from "../twisted/protocol.ts";

export default class TotalProtocol extends Protocol {
  total = 0;

  override dataReceived(bytes: Buffer): void {
    if (bytes.includes("q")) return this.transport.loseConnection();
    this.total += bytes.length;
    this.transport.write(`total: ${this.total} bytes\r\n`);
  }
}
