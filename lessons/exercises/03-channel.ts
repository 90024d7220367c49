/**
 * The exercises on lesson 3 (lessons/03-channel.ts): the session channel, the pty that
 * `ssh -t` insists on, and the exit-status that must come before the end.
 * @module
 */
import { randomTerminal, startShell } from "./exercise.ts";
import type { Exercise } from "./exercise.ts";

export const exercises: Exercise[] = [
  {
    id: "3.1",
    lesson: "03-channel.ts",
    file: "3.1-goodbye-by-name.ts",
    title: "Say goodbye by name",
    task: `Say goodbye by the login name: "This session is very simple.  Goodbye, alice!"
for alice, and so on for every user.`,
    hints: [
      "The tutorial knows the login name: the Context that connectionMade gets has it.",
      "`context.user` is the login name once the client has logged in. simpleSession does not get the context yet: pass it on.",
      "client.on(\"session\", (accept) => simpleSession(accept(), context)); and in the shell: channel.write(`This session is very simple.  Goodbye, ${context.user}!\\r\\n`);",
    ],
    untouched: 'but the server sent "This session is very simple.  Goodbye!',
    async check(server) {
      const [someone] = server.users;
      const shell = await startShell(server, someone, { pty: false });
      await shell.expect(`This session is very simple.  Goodbye, ${someone.user}!\r\n`, `${someone.user} logged in`);
      await shell.expectEnd({ exitStatus: 0 });
    },
  },
  {
    id: "3.2",
    lesson: "03-channel.ts",
    file: "3.2-grant-the-pty.ts",
    title: "Survive ssh -t: grant the pty",
    task: `\`ssh -t\` insists on a pty, and OpenSSH 9 gives up on the whole session when it is
refused. Grant the pty request, so that \`ssh -t\` gets the goodbye too (and \`ssh -T\`,
which asks for none, still does).`,
    hints: [
      'The pty request is the session\'s "pty" event; the lesson answers it with `reject`.',
      "The listener gets (accept, reject, info): answer with accept instead. Both can be undefined when the client wants no answer.",
      'session.on("pty", (accept) => accept?.());',
    ],
    untouched: "the server refused the pty request",
    async check(server) {
      const [someone] = server.users;
      const withPty = await startShell(server, someone, { pty: randomTerminal() });
      await withPty.expect("This session is very simple.  Goodbye!\r\n", "with a pty, as ssh -t asks");
      await withPty.expectEnd({ exitStatus: 0 });
      const withoutPty = await startShell(server, someone, { pty: false });
      await withoutPty.expect("This session is very simple.  Goodbye!\r\n", "without a pty, as ssh -T asks");
      await withoutPty.expectEnd({ exitStatus: 0 });
    },
  },
  {
    id: "3.3",
    lesson: "03-channel.ts",
    file: "3.3-exit-status.ts",
    title: "An exit-status that says something",
    task: `End the session with an exit-status equal to the number of letters in the login name
(alice: 5), so that \`ssh\` exits with it (\`echo $?\` in bash and zsh, \`$LASTEXITCODE\` in PowerShell, \`echo %errorlevel%\` in cmd).
Keep the goodbye line as it is.`,
    hints: [
      "`channel.exit(n)` sends exit-status n; `endSession` sends 0. The login name is `context.user` (see 3.1).",
      "Order matters: the exit-status must go out before `channel.end()`. ssh2 silently drops one sent after the end, and ssh then reports 255.",
      "function endSession(channel: ServerChannel, status: number) { channel.exit(status); channel.end(); } and call endSession(channel, context.user?.length ?? 0).",
    ],
    untouched: "the session ended with exit-status 0, expected",
    async check(server) {
      const [someone] = server.users;
      const shell = await startShell(server, someone, { pty: false });
      await shell.expect("This session is very simple.  Goodbye!\r\n");
      await shell.expectEnd({ exitStatus: someone.user.length, why: `${someone.user} has ${someone.user.length} letters` });
    },
  },
];
