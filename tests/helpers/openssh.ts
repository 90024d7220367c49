/**
 * The real OpenSSH client, run the way a student runs it: inside a pseudo-terminal of a
 * chosen size (./pty.ts), or with `-T` and stdin from a file. Passwords come from
 * an SSH_ASKPASS script; the host key is checked against a throw-away known_hosts file
 * filled by `ssh-keyscan`. Nothing is written to `~/.ssh`.
 *
 * @example
 * ```ts
 * const ssh = await OpenSsh.forServer(server.port);
 * const run = ssh.run({ terminal: { cols: 80, rows: 24, term: "xterm" } });
 * await run.waitFor("Echo protocol connected");
 * run.type("\r~.");
 * assert.equal(await run.exitCode(), 255);
 * ```
 * @module
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { TIMEOUT_MS } from "./lesson-process.ts";
import { NO_TERMINAL, spawnInTerminal } from "./pty.ts";
import { within } from "./ssh-client.ts";

/** Why the OpenSSH tests cannot run here (no `ssh`, or no pseudo-terminal), or undefined. */
export const NO_OPENSSH: string | undefined = spawnSync("ssh", ["-V"], { stdio: "ignore", timeout: 10_000 }).status === 0
  ? NO_TERMINAL
  : "needs the OpenSSH client (ssh, ssh-keyscan, ssh-keygen)";

/** The size and TERM of the terminal `ssh` runs in. */
export interface TerminalSize {
  cols: number;
  rows: number;
  term: string;
}

export interface SshOptions {
  user?: string;
  password?: string;
  /** Run in a pseudo-terminal of this size; without it, `ssh -T` with pipes. */
  terminal?: TerminalSize;
  /** Sent on stdin and then closed (only without `terminal`), like `ssh -T < file`. */
  stdin?: string;
  /** More ssh options, before the destination. */
  args?: string[];
}

/** One running `ssh`: what it has printed so far, typing, and its exit status. */
export class SshRun {
  output = "";
  readonly #exit: Promise<number | null>;
  #wakers = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    const add = (chunk: string) => {
      this.output += chunk;
      for (const wake of this.#wakers) wake();
    };
    child.stdout!.setEncoding("latin1").on("data", add);
    child.stderr!.setEncoding("latin1").on("data", add);
    this.#exit = new Promise((resolve) => child.once("close", (code) => resolve(code)));
  }

  /**
   * The output as lines of text, as a terminal shows them: the pty turns a "\n" into
   * "\r\n" unless ssh has made it raw, so line ends are folded to "\n".
   */
  get text(): string {
    return this.output.replace(/\r*\n/g, "\n");
  }

  /** Resolves once the output holds `text`, after the first `from` characters. */
  waitFor(text: string | RegExp, from = 0): Promise<void> {
    const found = () => {
      const rest = this.output.slice(from);
      return typeof text === "string" ? rest.includes(text) : text.test(rest);
    };
    return within(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!found()) return;
          this.#wakers.delete(check);
          resolve();
        };
        this.#wakers.add(check);
        check();
      }),
      () => `ssh output ${text}, got ${JSON.stringify(this.output)}`,
    );
  }

  /** Types into the terminal, as keys (Enter is "\r", Ctrl-C is "\x03"). */
  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** The exit status of `ssh` (bounded: a hung client is killed and the test fails). */
  exitCode(): Promise<number | null> {
    return within(this.#exit, () => `ssh exit; output so far ${JSON.stringify(this.output)}`).catch((error) => {
      this.child.kill("SIGKILL");
      throw error;
    });
  }
}

/** A throw-away ssh setup for one server: known_hosts, askpass, and the base options. */
export class OpenSsh {
  readonly #runs = new Set<SshRun>();

  private constructor(readonly port: number, readonly dir: string, readonly fingerprint: string) {}

  /** Scans the server's host key into a fresh known_hosts and notes its fingerprint. */
  static forServer(port: number): OpenSsh {
    const dir = mkdtempSync(join(tmpdir(), "openssh-"));
    const knownHosts = execFileSync("ssh-keyscan", ["-p", String(port), "-t", "ed25519", "127.0.0.1"], {
      encoding: "utf8",
      timeout: TIMEOUT_MS,
      stdio: ["ignore", "pipe", "ignore"],
    });
    writeFileSync(join(dir, "known_hosts"), knownHosts);
    const fingerprint = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", join(dir, "known_hosts")], {
      encoding: "utf8",
    }).split(" ")[1];
    writeFileSync(join(dir, "askpass"), `#!/bin/sh\nprintf '%s\\n' "$TEST_SSH_PASSWORD"\n`, { mode: 0o700 });
    return new OpenSsh(port, dir, fingerprint);
  }

  /** The options every run gets: this server, its known key only, passwords from askpass. */
  args(extra: string[] = []): string[] {
    const config = existsSync("/etc/ssh/ssh_config") ? "/etc/ssh/ssh_config" : "/dev/null";
    return [
      "-F", config, // the system's defaults (Debian's sends LANG), never the user's ~/.ssh/config
      "-p", String(this.port),
      "-o", `UserKnownHostsFile=${join(this.dir, "known_hosts")}`,
      "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", "StrictHostKeyChecking=yes",
      "-o", "PubkeyAuthentication=no",
      "-o", "ConnectTimeout=5",
      ...extra,
    ];
  }

  /** Starts `ssh`; see {@link SshOptions}. */
  run({ user = "alice", password = "goodpassword", terminal, stdin, args = [] }: SshOptions = {}): SshRun {
    const sshArgs = [...this.args(args), `${user}@127.0.0.1`];
    const env = {
      ...process.env,
      SSH_ASKPASS: join(this.dir, "askpass"),
      SSH_ASKPASS_REQUIRE: "force",
      TEST_SSH_PASSWORD: password,
      TERM: terminal?.term ?? "dumb",
    };
    let child: ChildProcess;
    if (terminal) {
      child = spawnInTerminal("ssh", sshArgs, { cols: terminal.cols, rows: terminal.rows, env });
    } else {
      child = spawn("ssh", ["-T", ...sshArgs], { env, stdio: ["pipe", "pipe", "pipe"] });
      if (stdin !== undefined) child.stdin!.end(stdin);
    }
    const run = new SshRun(child);
    this.#runs.add(run);
    child.once("close", () => this.#runs.delete(run));
    return run;
  }

  /** Kills any ssh still running (a failed test's) and removes the files. */
  remove(): void {
    for (const run of this.#runs) run.child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}
