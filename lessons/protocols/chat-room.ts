/**
 * A chat room: everyone connected to the same server sees the others' lines, with their
 * login names. This is the classroom demo of what lesson 7's Protocol cannot do alone: state
 * shared between the protocols of several connections. In Twisted that state lives in the
 * Factory that builds the protocols; here `ChatRoom` is that factory, and the module exports
 * one, so every session's protocol joins the same room.
 *
 *   npx tsx tutorial.ts --lesson protocols --protocol lessons/protocols/chat-room.ts
 *   ssh -p 2022 alice@localhost        (and bob, and jpcalderone, from other terminals)
 *
 * The terminal is raw (lesson 5), so the protocol does what a terminal's line discipline
 * would: it echoes what you type, handles Backspace, and sends the line on Enter. Ctrl-C
 * clears the line; Ctrl-D on an empty line leaves the room.
 *
 * A classroom: with `--class-password`, every student logs in with their own name. A line
 * goes to every member at once, each write on its own channel; a member who stops reading
 * (a closed laptop, a suspended terminal) never holds up the others: the tutorial's flow
 * control (lessons/server/flow-control.ts) skips what piles up for them and tells them later.
 */
import type { Buffer } from "node:buffer";
import { Protocol } from "../twisted/protocol.ts";

/** The room: the factory that builds each member's protocol, and the state they share. */
export class ChatRoom {
  readonly members = new Set<ChatProtocol>();

  buildProtocol(): ChatProtocol {
    return new ChatProtocol(this);
  }

  /** Shows `line` to every member but `from`. */
  broadcast(from: ChatProtocol, line: string): void {
    for (const member of this.members) if (member !== from) member.show(line);
  }
}

const ENTER = new Set(["\r", "\n"]);
const BACKSPACE = new Set(["\x7f", "\b"]);
const CTRL_C = "\x03";
const CTRL_D = "\x04";
/** How many members the welcome line names (a lecture hall has 200). */
const NAMES_SHOWN = 20;

/** One member: turns keystrokes into lines, and shows the others' lines. */
export class ChatProtocol extends Protocol {
  #typing = ""; // the line being typed, not yet sent
  readonly #decoder = new TextDecoder(); // keeps a UTF-8 character split across chunks whole

  constructor(readonly room: ChatRoom) {
    super();
  }

  get name(): string {
    return this.transport.getUser();
  }

  override connectionMade(): void {
    const others = [...this.room.members].map((member) => member.name);
    const named = others.slice(0, NAMES_SHOWN).join(", ");
    const more = others.length > NAMES_SHOWN ? ` and ${others.length - NAMES_SHOWN} more` : "";
    this.transport.write(`Welcome to the chat room, ${this.name}. ` +
      `${others.length ? `Here: ${named}${more}.` : "Nobody else is here yet."} ` +
      "Type a line and press Enter; Ctrl-D leaves.\r\n");
    this.room.members.add(this);
    this.room.broadcast(this, `* ${this.name} joined`);
  }

  override dataReceived(bytes: Buffer): void {
    let echo = ""; // what the terminal shows back: one write per chunk, so a paste is one write
    for (const key of this.#decoder.decode(bytes, { stream: true })) {
      if (ENTER.has(key)) {
        echo += "\r\n";
        if (this.#typing.trim()) this.room.broadcast(this, `${this.name}: ${this.#typing}`);
        this.#typing = "";
      } else if (BACKSPACE.has(key)) {
        if (!this.#typing) continue;
        this.#typing = [...this.#typing].slice(0, -1).join("");
        echo += "\b \b";
      } else if (key === CTRL_C) {
        this.#typing = "";
        echo += "^C\r\n";
      } else if (key === CTRL_D) {
        if (this.#typing) continue;
        if (echo) this.transport.write(echo);
        return this.transport.loseConnection();
      } else if (key >= " ") {
        this.#typing += key;
        echo += key;
      }
    }
    if (echo) this.transport.write(echo);
  }

  /** Shows another member's line above what this member is typing. */
  show(line: string): void {
    this.transport.write(`\r\x1b[K${line}\r\n${this.#typing}`);
  }

  override connectionLost(): void {
    this.room.members.delete(this);
    this.room.broadcast(this, `* ${this.name} left`);
  }
}

/** The room every session of this server joins. */
export default new ChatRoom();
