/**
 * The README's diagram of lesson 7, made by the project's own command: it starts
 * `tutorial.ts --lesson protocols --diagram <file>`, runs one fixed session with ssh2's
 * client (fixed algorithms, a pty, the banner, one key, EOF), and takes the diagram the server wrote.
 * `tests/diagram.test.ts` checks that the README holds exactly this; after a change, write
 * it into the README with
 *
 *   npm run readme-diagram
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMain } from "../lessons/twisted/reactor.ts";
import { ROOT, startLesson } from "./helpers/lesson-process.ts";
import { mermaidBlocks } from "./helpers/mermaid.ts";
import { eventually, logIn, openShell } from "./helpers/ssh-client.ts";

export const README = join(ROOT, "README.md");
const BEGIN = "<!-- lesson 7's diagram, written by npm run readme-diagram (tests/readme-diagram.ts) -->";
const END = "<!-- end of lesson 7's diagram -->";

/** The mermaid text of one fixed session of lesson 7, from `--diagram`. */
export async function lesson7Diagram(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "diagram-"));
  const file = join(dir, "session.md");
  const server = await startLesson("protocols", ["--diagram", file]);
  try {
    // The same algorithms on every machine and runtime (ssh2 prefers AES-GCM only where the CPU
    // has AES instructions, and under Deno the server offers no AES-GCM).
    const client = await logIn(server.port, "alice", "goodpassword", { kex: ["curve25519-sha256"], cipher: ["chacha20-poly1305@openssh.com"] });
    const shell = await openShell(client, { term: "xterm", cols: 80, rows: 24 });
    await shell.waitFor("Echo protocol connected\r\n");
    shell.channel.write("h");
    await shell.waitFor("echo: 'h'\r\n");
    shell.channel.end();
    await shell.closed();
    client.end();
    await eventually(() => readFileSync(file, "utf8").includes("## Connection 1"), "the diagram written at the connection's end");
    const [diagram] = mermaidBlocks(readFileSync(file, "utf8"));
    return diagram;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The diagram as the README holds it now (between its two markers), or undefined. */
export function readmeDiagram(readme = readFileSync(README, "utf8")): string | undefined {
  const block = readme.split(BEGIN)[1]?.split(END)[0];
  return block === undefined ? undefined : mermaidBlocks(block)[0];
}

if (isMain(import.meta)) {
  const diagram = await lesson7Diagram();
  const readme = readFileSync(README, "utf8");
  if (readmeDiagram(readme) === undefined) throw new Error(`README.md has no ${BEGIN} ... ${END} markers`);
  const [before, rest] = readme.split(BEGIN);
  writeFileSync(README, `${before}${BEGIN}\n\`\`\`mermaid\n${diagram}\`\`\`\n${END}${rest.split(END)[1]}`);
  console.log("README.md: lesson 7's diagram written");
}
