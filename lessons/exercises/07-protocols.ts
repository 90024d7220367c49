/**
 * The exercises on lesson 7 (lessons/07-protocols.ts): a Protocol of your own, and
 * connectionLost, which comes exactly once however a session ends.
 * @module
 */
import { expectLogLine, expectOnce, randomTerminal, randomWord, startShell, threeEndings } from "./exercise.ts";
import type { Exercise } from "./exercise.ts";

export const exercises: Exercise[] = [
  {
    id: "7.1",
    lesson: "07-protocols.ts",
    file: "7.1-running-total.ts",
    title: "A Protocol with a running total",
    task: `Change the protocol: after its banner, answer each chunk of input with
  total: 5 bytes
(the bytes so far in this session), and hang up (loseConnection) when a chunk holds "q".`,
    hints: [
      "Everything happens in EchoProtocol's dataReceived; the adapter (connectProtocol) stays as it is.",
      "A field on the protocol object (total = 0) lives as long as its session: each shell gets a new protocol.",
      'override dataReceived(bytes: Buffer): void { if (bytes.includes("q")) return this.transport.loseConnection(); this.total += bytes.length; this.transport.write(`total: ${this.total} bytes\\r\\n`); }',
    ],
    untouched: 'but the server sent "echo:',
    async check(server) {
      const shell = await startShell(server, server.users[0], { pty: randomTerminal() });
      await shell.expect("Echo protocol connected\r\n", "the banner");
      let total = 0;
      for (const word of [randomWord(), randomWord()]) {
        shell.channel.write(word);
        total += word.length;
        await shell.expect(`total: ${total} bytes\r\n`, `after ${JSON.stringify(word)}`);
      }
      shell.channel.write("q");
      await shell.expectEnd({ exitStatus: 0, why: "q hangs up" });
    },
  },
  {
    id: "7.2",
    lesson: "07-protocols.ts",
    file: "7.2-connection-lost.ts",
    title: "connectionLost, exactly once",
    task: `Make the protocol say goodbye on the server's log: in connectionLost, print
  alice left after 12 bytes
(the login name, the bytes of input in that session), exactly once per session, however it
ended: EOF from the client, the client closing the channel, or the connection dropping.
Keep the echo.`,
    hints: [
      "The transport knows the login name: this.transport.getUser(). Count the bytes in dataReceived.",
      "connectionLost is called by the adapter exactly once, when the channel closes: print there (console.log), and nowhere else.",
      "bytes = 0; in dataReceived: this.bytes += bytes.length; override connectionLost(): void { console.log(`${this.transport.getUser()} left after ${this.bytes} bytes`); }",
    ],
    untouched: "the server's log has no line ending with",
    async check(server) {
      const expected: string[] = [];
      for (const { account, how, end } of threeEndings(server)) {
        const shell = await startShell(server, account, { pty: false });
        await shell.expect("Echo protocol connected\r\n", "the banner");
        const word = randomWord();
        shell.channel.write(word);
        await shell.expect(`echo: '${word}'\r\n`);
        end(shell);
        const line = `${account.user} left after ${word.length} bytes`;
        await expectLogLine(server, line, `print it in connectionLost (${how})`);
        expected.push(line);
      }
      for (const once of expected) expectOnce(server, once, "connectionLost runs once per session: print only there");
    },
  },
];
