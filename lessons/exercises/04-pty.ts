/**
 * The exercises on lesson 4 (lessons/04-pty.ts): what the client says about its terminal,
 * before the shell and while it runs.
 * @module
 */
import { Buffer } from "node:buffer";
import { repr } from "../twisted/repr.ts";
import { randomTerminal, randomWord, startShell } from "./exercise.ts";
import type { Exercise } from "./exercise.ts";

/** Lesson 4's description of a terminal. */
function described({ term, cols, rows }: { term: string; cols: number; rows: number }): string {
  return `Your terminal name is ${repr(Buffer.from(term))}.  Your terminal is ${cols} columns wide and ${rows} rows tall.\r\n`;
}

export const exercises: Exercise[] = [
  {
    id: "4.1",
    lesson: "04-pty.ts",
    file: "4.1-lang.ts",
    title: "Report the client's LANG",
    task: `Debian's and macOS's ssh send your LANG before the shell (an "env" request); any ssh
does with \`ssh -o SetEnv=LANG=de_DE.UTF-8 -p 2022 alice@localhost\`. After the terminal's
description, add the line "Your LANG is 'de_DE.UTF-8'." (quoted as repr quotes it) when the
client sent LANG, and nothing more when it did not.`,
    hints: [
      'An env request is the session\'s "env" event, with (accept, reject, info): `info.key` and `info.val`.',
      "Keep the value the way the pty listener keeps the terminal: a variable in simpleSession, set in the listener, read in the shell. Answer with accept?.().",
      'let lang: string | undefined; session.on("env", (accept, _reject, info) => { if (info.key === "LANG") lang = info.val; accept?.(); }); then in the shell: if (lang !== undefined) channel.write(`Your LANG is ${repr(Buffer.from(lang))}.\\r\\n`);',
    ],
    untouched: "but the session ended without sending it",
    async check(server) {
      const lang = `${randomWord()}_XY.UTF-8`;
      const terminal = randomTerminal();
      const shell = await startShell(server, server.users[0], { pty: terminal, env: { LANG: lang } });
      await shell.expect(described(terminal));
      await shell.expect(`Your LANG is '${lang}'.\r\n`, `the client sent LANG=${lang}`);
      await shell.expectEnd({ exitStatus: 0 });
      const plain = await startShell(server, server.users[0], { pty: terminal });
      await plain.expect(described(terminal));
      await plain.expectEnd({ exitStatus: 0, why: "this client sent no LANG" });
    },
  },
  {
    id: "4.2",
    lesson: "04-pty.ts",
    file: "4.2-window-change.ts",
    title: "Follow the window's size",
    task: `Keep the session open after the description, and report every resize:
  Your terminal is now 100 columns wide and 30 rows tall.
(a "window-change" request, with the new size). Any key ends the session, exit-status 0.`,
    hints: [
      'A resize is the session\'s "window-change" event: (accept, reject, info) with `info.cols` and `info.rows`. It comes on the session, not on the channel.',
      "Don't end the session in the shell listener any more: listen for \"data\" on the channel and end it there. The window-change listener needs the channel: keep it in a variable once the shell is accepted.",
      'let channel: ServerChannel | undefined; session.on("window-change", (accept, _reject, info) => { accept?.(); channel?.write(`Your terminal is now ${info.cols} columns wide and ${info.rows} rows tall.\\r\\n`); }); in the shell: channel = accept(); ...describe...; channel.on("data", () => endSession(channel!));',
    ],
    untouched: "but the session ended without sending it",
    async check(server) {
      const terminal = randomTerminal();
      const shell = await startShell(server, server.users[0], { pty: terminal });
      await shell.expect(described(terminal));
      for (const size of [randomTerminal(), randomTerminal()]) {
        if (!shell.isClosed()) shell.channel.setWindow(size.rows, size.cols, 0, 0);
        await shell.expect(`Your terminal is now ${size.cols} columns wide and ${size.rows} rows tall.\r\n`,
          `after a resize to ${size.cols}x${size.rows}`);
      }
      shell.channel.write(randomWord().slice(0, 1));
      await shell.expectEnd({ exitStatus: 0, why: "a key was pressed" });
    },
  },
];
