/**
 * The SSH clients besides OpenSSH that students and autograders use, each run the way they run
 * it: PuTTY's `plink`, Dropbear's `dbclient`, Python's paramiko and asyncssh (through
 * `python-client.py`, under Debian's /usr/bin/python3), and Go's x/crypto/ssh (through
 * `go-client/main.go`, built into a temporary folder). Every run is bounded and killed by its
 * pid if it hangs; clients that keep state (~/.putty, dbclient's known_hosts) get a temporary
 * HOME. A client that is not installed is named with the Debian package that brings it, for
 * the test to skip with (`.ci/run` installs them all, and sets SSH_CLIENTS_REQUIRED so that a
 * missing one fails there instead).
 *
 * @example
 * ```ts
 * const home = temporaryHome();
 * const run = await plink(server.port, fingerprint(server), { home: home.dir, stdin: "hi\n" });
 * assert.equal(run.code, 0);
 * home.remove();
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { type LessonProcess, ROOT } from "./lesson-process.ts";
import type { TerminalSize } from "./openssh.ts";

/** How long one client run may take: generous, since 1 MiB with rekeys on a loaded machine is slow. */
export const CLIENT_LIMIT_MS = 60_000;

const PYTHON = "/usr/bin/python3";

/** What a client printed and how it ended. */
export interface ClientRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** The server's host key fingerprint, as `tutorial.ts` prints it on start. */
export function fingerprint(server: LessonProcess): string {
  const line = server.stdout.lines.find((text) => text.startsWith("ED25519 key fingerprint is "));
  if (!line) throw new Error(`no fingerprint in the server's output:\n${server.stdout.text}`);
  return line.split(" ")[4].replace(/\.$/, "");
}

function onPath(command: string): boolean {
  const path = process.env.PATH ?? "";
  return path.split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));
}

function pythonHas(module: string): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export type ClientName = "plink" | "dbclient" | "paramiko" | "asyncssh" | "go" | "ssh-audit";

const PACKAGES: Record<ClientName, string> = {
  "plink": "putty-tools",
  "dbclient": "dropbear-bin",
  "paramiko": "python3-paramiko",
  "asyncssh": "python3-asyncssh",
  "go": "golang-go golang-golang-x-crypto-dev",
  "ssh-audit": "ssh-audit",
};

const GOPATH = "/usr/share/gocode"; // where Debian's golang-*-dev packages put their sources

function installed(client: ClientName): boolean {
  switch (client) {
    case "paramiko":
    case "asyncssh":
      return pythonHas(client);
    case "go":
      return onPath("go") && existsSync(join(GOPATH, "src/golang.org/x/crypto/ssh"));
    default:
      return onPath(client);
  }
}

/**
 * Undefined when `client` can run here; otherwise the one-line reason to skip its tests.
 * With SSH_CLIENTS_REQUIRED set (CI), a missing client throws instead.
 */
export function unavailable(client: ClientName): string | undefined {
  if (installed(client)) return undefined;
  const reason = `${client} is not installed (Debian: apt-get install ${PACKAGES[client]})`;
  if (process.env.SSH_CLIENTS_REQUIRED) throw new Error(`${reason}, and SSH_CLIENTS_REQUIRED is set`);
  return reason;
}

/** A temporary HOME for clients that write state there. */
export function temporaryHome(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "client-home-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `command` to completion (killed by its pid after CLIENT_LIMIT_MS); stdin is sent, then closed. */
export function runCommand(
  command: string,
  args: string[],
  options: { stdin?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin!.on("error", () => {}); // a client that exits without reading all of it
    child.stdin!.end(options.stdin ?? "");
    const timer = setTimeout(() => {
      process.kill(child.pid!, "SIGKILL");
      reject(new Error(`${command} did not finish within ${CLIENT_LIMIT_MS} ms; stderr: ${stderr}`));
    }, CLIENT_LIMIT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout), stderr });
    });
  });
}

/** Runs `command` in a pseudo-terminal of `size` (util-linux `script`), as on a student's screen. */
function inTerminal(size: TerminalSize, command: string, args: string[], env: Record<string, string>): Promise<ClientRun> {
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const line = `stty cols ${size.cols} rows ${size.rows}; exec ${[command, ...args].map(quote).join(" ")}`;
  return runCommand("script", ["-q", "-e", "-c", line, "/dev/null"], { env: { ...env, TERM: size.term } });
}

export interface RunOptions {
  /** The client's HOME (see {@link temporaryHome}). */
  home: string;
  /** Sent to the session, then EOF. */
  stdin?: string | Buffer;
  /** Ask for a pty of this size: plink -t and dbclient -t run in a real terminal. */
  pty?: TerminalSize;
}

/**
 * PuTTY's plink, with the password and the host key's fingerprint on the command line.
 * `session` loads a saved session from `<home>/.putty/sessions/` (settings such as RekeyBytes).
 */
export function plink(port: number, hostKey: string, options: RunOptions & { session?: string }): Promise<ClientRun> {
  const args = [
    ...(options.session ? ["-load", options.session] : []),
    "-ssh", "-P", String(port), "-pw", "goodpassword", "-batch", "-hostkey", hostKey, "-v",
    options.pty ? "-t" : "-T", "alice@127.0.0.1",
  ];
  const env = { HOME: options.home };
  if (options.pty) return inTerminal(options.pty, "plink", args, env);
  return runCommand("plink", args, { stdin: options.stdin, env });
}

/** Dropbear's dbclient: the password from DROPBEAR_PASSWORD, the host key accepted and noted (-y). */
export function dbclient(port: number, options: RunOptions): Promise<ClientRun> {
  const args = ["-y", options.pty ? "-t" : "-T", "-p", String(port), "alice@127.0.0.1"];
  const env = { HOME: options.home, DROPBEAR_PASSWORD: "goodpassword" };
  if (options.pty) return inTerminal(options.pty, "dbclient", args, env);
  return runCommand("dbclient", args, { stdin: options.stdin, env });
}

/** What python-client.py reports on its last stderr line. */
export interface PythonSummary {
  exit: number | null;
  eof: boolean;
  cipher: string;
  mac: string;
}

/** paramiko or asyncssh through python-client.py; see that file for the options. */
export async function python(
  library: "paramiko" | "asyncssh",
  port: number,
  hostKey: string,
  options: RunOptions & { rekey?: number; pace?: number; key?: string; defaults?: boolean },
): Promise<ClientRun & { summary: PythonSummary }> {
  const args = [join(ROOT, "tests/helpers/python-client.py"), library, String(port), hostKey];
  if (options.pty) args.push("--pty", `${options.pty.term}:${options.pty.cols}x${options.pty.rows}`);
  if (options.rekey) args.push("--rekey", String(options.rekey));
  if (options.pace) args.push("--pace", String(options.pace));
  if (options.key) args.push("--key", options.key);
  if (options.defaults) args.push("--defaults");
  const env: Record<string, string> = { HOME: options.home, SSH_AUTH_SOCK: "" };
  const run = await runCommand(PYTHON, args, { stdin: options.stdin, env });
  const last = run.stderr.trim().split("\n").at(-1) ?? "";
  if (run.code !== 0 || !last.startsWith("{")) {
    throw new Error(`${library} failed (exit ${run.code}):\n${run.stderr}`);
  }
  return { ...run, summary: JSON.parse(last) as PythonSummary };
}

/**
 * Builds go-client/main.go into `dir` with Debian's Go and x/crypto (GOPATH mode, nothing
 * downloaded; about 2 s on this project's machine) and returns the binary's path.
 */
export async function buildGoClient(dir: string): Promise<string> {
  const binary = join(dir, "go-client");
  const build = await runCommand("go", ["build", "-o", binary, "main.go"], {
    cwd: join(ROOT, "tests/helpers/go-client"),
    env: { GOPATH, GO111MODULE: "off", GOFLAGS: "", GOCACHE: join(dir, "cache"), HOME: dir },
  });
  if (build.code !== 0) throw new Error(`go build failed:\n${build.stderr}`);
  return binary;
}

/** The Go client; exits with the session's exit status (99 when the server sent none). */
export function goClient(binary: string, port: number, hostKey: string, options: RunOptions): Promise<ClientRun> {
  const args = ["-port", String(port), "-fingerprint", hostKey];
  if (options.pty) args.push("-pty", `${options.pty.term}:${options.pty.cols}x${options.pty.rows}`);
  return runCommand(binary, args, { stdin: options.stdin, env: { HOME: options.home } });
}
