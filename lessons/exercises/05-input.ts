/**
 * The exercises on lesson 5 (lessons/05-input.ts): input is a stream of bytes, in chunks
 * that are not lines, and in raw mode every key is just a byte.
 * @module
 */
import { Buffer } from "node:buffer";
import { repr } from "../twisted/repr.ts";
import { randomTerminal, randomWord, startShell } from "./exercise.ts";
import type { Exercise } from "./exercise.ts";

const echo = (text: string) => `echo: ${repr(Buffer.from(text))}\r\n`;

export const exercises: Exercise[] = [
  {
    id: "5.1",
    lesson: "05-input.ts",
    file: "5.1-ctrl-d.ts",
    title: "Ctrl-D ends the session",
    task: `With a pty the terminal is raw, so Ctrl-D is just a byte, '\\x04'. Make it end the
session as a shell does, with exit-status 0; echo everything else as before.`,
    hints: [
      "Look at each chunk in the \"data\" listener: `bytes.includes(4)` (or 0x04) says whether Ctrl-D is in it.",
      "Ending politely is lesson 3's endSession: exit-status first, then end. Copy it into your file (and import the ServerChannel type).",
      'channel.on("data", (bytes: Buffer) => { if (bytes.includes(0x04)) return endSession(channel); channel.write(`echo: ${repr(bytes)}\\r\\n`); });',
    ],
    untouched: "expected the session to end (Ctrl-D was pressed), but the server sent",
    async check(server) {
      const shell = await startShell(server, server.users[0], { pty: randomTerminal() });
      const word = randomWord();
      shell.channel.write(word);
      await shell.expect(echo(word));
      shell.channel.write("\x04");
      await shell.expectEnd({ exitStatus: 0, why: "Ctrl-D was pressed" });
    },
  },
  {
    id: "5.2",
    lesson: "05-input.ts",
    file: "5.2-whole-lines.ts",
    title: "Echo whole lines",
    task: `Echo whole lines instead of chunks: keep the input until Enter ('\\r') and then send
echo: 'hello'
for the line (without the '\\r'). A line can come in several chunks, and one chunk can hold
the end of one line and the start of the next.`,
    hints: [
      "A chunk is whatever the network delivered: part of a line, a line, or several. Keep what came in a variable, and look for '\\r' in it.",
      "Work on the text: keep a string `line`, add each chunk to it, and while it holds '\\r', echo the part before it and keep the part after it.",
      'let pending = ""; channel.on("data", (bytes: Buffer) => { pending += bytes.toString("latin1"); let end; while ((end = pending.indexOf("\\r")) >= 0) { channel.write(`echo: ${repr(Buffer.from(pending.slice(0, end), "latin1"))}\\r\\n`); pending = pending.slice(end + 1); } });',
    ],
    untouched: "(the whole line, after Enter), but the server sent",
    async check(server) {
      const shell = await startShell(server, server.users[0], { pty: randomTerminal() });
      const first = randomWord();
      const second = `${randomWord()}'s`;
      const cut = 1 + Math.floor(Math.random() * (first.length - 2));
      shell.channel.write(first.slice(0, cut));
      shell.channel.write(`${first.slice(cut)}\r${second}`);
      await shell.expect(echo(first), "the whole line, after Enter");
      shell.channel.write("\r");
      await shell.expect(echo(second), "the second line, begun in the same chunk as the end of the first");
    },
  },
  {
    id: "5.3",
    lesson: "05-input.ts",
    file: "5.3-backspace.ts",
    title: "Backspace edits the line",
    task: `Echo whole lines, as in 5.2, and let the user correct them: Backspace (the terminal
sends '\\x7f') removes the last character of the line being typed; on an empty line it does
nothing.`,
    hints: [
      "Do 5.2 first (or start from its solution). Then handle the input byte by byte instead of looking for '\\r' in the whole text.",
      "For each character: '\\r' echoes the line and empties it, '\\x7f' removes the last character (line.slice(0, -1) is harmless on an empty line), anything else is added.",
      'for (const char of bytes.toString("latin1")) { if (char === "\\r") { channel.write(`echo: ${repr(Buffer.from(line, "latin1"))}\\r\\n`); line = ""; } else if (char === "\\x7f") line = line.slice(0, -1); else line += char; }',
    ],
    untouched: "but the server sent",
    async check(server) {
      const shell = await startShell(server, server.users[0], { pty: randomTerminal() });
      const word = randomWord();
      const typo = randomWord().slice(0, 3);
      shell.channel.write(`${word}${typo}`);
      shell.channel.write("\x7f".repeat(typo.length));
      shell.channel.write("\r");
      await shell.expect(echo(word), `${JSON.stringify(word + typo)}, then ${typo.length} Backspaces, then Enter`);
      shell.channel.write("\x7f\x7fok\r");
      await shell.expect(echo("ok"), "Backspace on an empty line, then ok and Enter");
    },
  },
];
