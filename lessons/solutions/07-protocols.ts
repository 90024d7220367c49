/**
 * Exercise 7, solved: a Protocol that keeps a running total, and hangs up on "q".
 * Check your own: npm run exercise 7 lessons/my-protocols.ts
 * (or serve just the Protocol: npx tsx tutorial.ts --protocol lessons/solutions/07-protocols.ts)
 */
import type { Buffer } from "node:buffer";
import { Protocol, protocolsWith } from "../07-protocols.ts";

export class TotalProtocol extends Protocol {
  total = 0;

  override dataReceived(bytes: Buffer): void {
    if (bytes.includes("q")) return this.transport.loseConnection();
    this.total += bytes.length;
    this.transport.write(`total: ${this.total} bytes\r\n`);
  }
}

export default TotalProtocol;
export const solution = protocolsWith(() => new TotalProtocol());
