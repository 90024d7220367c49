/**
 * The exercises on lesson 6 (lessons/06-eof.ts): EOF is a half-close (the client still
 * reads), and a channel closes once, however it ends.
 * @module
 */
import { Buffer } from "node:buffer";
import { repr } from "../twisted/repr.ts";
import { expectLogLine, expectOnce, randomWord, startShell, threeEndings } from "./exercise.ts";
import type { Exercise } from "./exercise.ts";

/** A few lines of made-up words, each ending with "\n". */
function randomLines(count: number): string[] {
  return Array.from({ length: count }, () => `${randomWord()} ${randomWord()}\n`);
}

export const exercises: Exercise[] = [
  {
    id: "6.1",
    lesson: "06-eof.ts",
    file: "6.1-count-bytes.ts",
    title: "Count the input",
    task: `Say how much came in: answer EOF with "eof received after 18 bytes" (the number of
bytes of input), still echoing each chunk as it comes.`,
    hints: [
      "Count in the \"data\" listener: `bytes.length` is the size of each chunk.",
      "Keep a counter in the shell listener (let count = 0), add to it on each chunk, and use it where \"eof received\" is written.",
      'let count = 0; channel.on("data", (bytes: Buffer) => { count += bytes.length; channel.write(...) }); ... channel.write(`eof received after ${count} bytes\\r\\n`);',
    ],
    untouched: 'but the server sent "eof received',
    async check(server) {
      const shell = await startShell(server, server.users[0], { pty: false });
      const input = randomLines(2).join("");
      shell.channel.write(input);
      await shell.expect(`echo: ${repr(Buffer.from(input))}\r\n`);
      shell.channel.end();
      await shell.expect(`eof received after ${Buffer.byteLength(input)} bytes\r\n`, `${Buffer.byteLength(input)} bytes were sent`);
      await shell.expectEnd({ exitStatus: 0 });
    },
  },
  {
    id: "6.2",
    lesson: "06-eof.ts",
    file: "6.2-sort.ts",
    title: "sort, over SSH",
    task: `Make the server \`sort\`: no echo while the input comes; on EOF, send every line of the
input back sorted, each ending with "\\r\\n", then end the session with exit-status 0.
  node -e "console.log('b\\na')" | ssh -T -p 2022 alice@localhost      prints a, then b
(the same command in bash, zsh, PowerShell and cmd)
(EOF is a half-close: the client has stopped writing, but it still reads your answer.)`,
    hints: [
      "Collect the input in the \"data\" listener instead of echoing it; answer in the EOF callback (onEof), which runs once all the input has been read.",
      "Split the text on \"\\n\". Input that ends with \"\\n\" leaves an empty string after the last line: that is not a line.",
      'let text = ""; channel.on("data", (bytes: Buffer) => (text += bytes.toString())); onEof(channel, session, () => { const lines = text.split("\\n"); if (lines.at(-1) === "") lines.pop(); for (const line of lines.sort()) channel.write(`${line}\\r\\n`); endSession(channel); });',
    ],
    untouched: "but the server sent \"echo:",
    async check(server) {
      const shell = await startShell(server, server.users[0], { pty: false });
      const lines = randomLines(4);
      const input = lines.join("");
      const cut = 3 + Math.floor(Math.random() * (input.length - 6));
      shell.channel.write(input.slice(0, cut));
      shell.channel.write(input.slice(cut));
      shell.channel.end();
      const sorted = lines.map((line) => line.slice(0, -1)).sort();
      await shell.expect(sorted.map((line) => `${line}\r\n`).join(""), `the lines sorted, after EOF; the input was ${JSON.stringify(input)}`);
      await shell.expectEnd({ exitStatus: 0 });
    },
  },
  {
    id: "6.3",
    lesson: "06-eof.ts",
    file: "6.3-closed-once.ts",
    title: "Closed, once, however it ends",
    task: `When a session's channel closes, log (context.log) one line
  alice's session closed after 18 bytes
(the login name, the bytes of input), exactly once, however it ended: the client sent EOF,
the client closed the channel without EOF, or the connection dropped.`,
    hints: [
      "The channel's \"close\" event comes once whichever way the session ends; EOF and \"end\" come only in some of them.",
      "simpleSession needs the context for `context.user` and `context.log`: pass it on from connectionMade. Count the bytes in the \"data\" listener.",
      'channel.on("close", () => context.log(`${context.user}\'s session closed after ${count} bytes`)); (one listener, on "close" only).',
    ],
    untouched: "the server's log has no line ending with",
    async check(server) {
      const expected: string[] = [];
      for (const { account, how, end } of threeEndings(server)) {
        const shell = await startShell(server, account, { pty: false });
        const input = randomLines(1)[0];
        shell.channel.write(input);
        await shell.expect(`echo: ${repr(Buffer.from(input))}\r\n`);
        end(shell);
        const line = `${account.user}'s session closed after ${Buffer.byteLength(input)} bytes`;
        await expectLogLine(server, line, `log it once, when the channel closes (${how})`);
        expected.push(line);
      }
      for (const once of expected) expectOnce(server, once, 'log it in the channel\'s "close" listener only');
    },
  },
];
