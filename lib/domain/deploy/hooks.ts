import "server-only";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";

/**
 * Secrets a hook never needs, kept out of its environment so that a hook running `env` does not
 * copy them into the job log. (The hook runs as the server's user and could read secret.key; this
 * is about accidents, not a sandbox.)
 */
const WITHHELD_VARIABLES = ["CERTDECK_SECRET_KEY", "CERTDECK_ADMIN_PASSWORD"];

/** How much of a hook's output is kept: the end, where the error usually is. */
const MAX_OUTPUT_BYTES = 16 * 1024;
/** After SIGTERM on timeout, how long the hook's processes get before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the shell exits, how long to wait for output from processes it left running in the background. */
const OUTPUT_DRAIN_MS = 500;

export interface HookResult {
  /** The shell's exit code; null when it was killed by a signal or could not be started. */
  exitCode: number | null;
  /** The signal that ended the shell, if one did (SIGTERM or SIGKILL after a timeout). */
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as written, at most the last 16 KiB. */
  output: string;
  timedOut: boolean;
  durationMs: number;
}

/**
 * Runs a certbot-style hook: `/bin/sh -c command`, with the server's environment (less its
 * secrets) plus `env`.
 * The hook gets its own process group, so a timeout stops everything it started (a reload that
 * hangs, a `sleep` in a pipeline). Never throws: a hook that fails or cannot start is a result.
 */
export function runHook(command: string, options: { env: Record<string, string>; timeoutMs: number; cwd?: string }): Promise<HookResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const output = new OutputTail(MAX_OUTPUT_BYTES);
    let timedOut = false;
    let isSettled = false;
    let stopping: Promise<void> | undefined;

    // The outer shell sends its stderr into the one stdout pipe before running the command, so
    // both streams arrive interleaved in the order they were written, as in a terminal.
    let child: ChildProcessByStdio<null, Readable, null>;
    try {
      child = spawn("/bin/sh", ["-c", 'exec 2>&1; exec /bin/sh -c "$1"', "certdeck-hook", command], {
        cwd: options.cwd,
        env: hookProcessEnvironment(options.env),
        stdio: ["ignore", "pipe", "ignore"],
        detached: true,
      });
    } catch (error) {
      // spawn throws at once for arguments it cannot pass, such as a NUL character.
      resolve({ exitCode: null, signal: null, output: `could not run the hook: ${(error as Error).message}\n`, timedOut: false, durationMs: 0 });
      return;
    }
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    // "close" may come before or after "exit"; remember it for the exit handler.
    const stdoutClosed = new Promise<void>((resolveClosed) => child.stdout.once("close", resolveClosed));

    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      stopping = stopProcessGroup(child.pid);
    }, options.timeoutMs);

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timeoutTimer);
      child.stdout.destroy();
      resolve({ exitCode, signal, output: output.text(), timedOut, durationMs: Math.round(performance.now() - started) });
    };

    child.once("error", (error) => {
      output.push(Buffer.from(`${output.isEmpty() ? "" : "\n"}could not run the hook: ${error.message}\n`));
      finish(null, null);
    });

    child.once("exit", (exitCode, signal) => {
      if (stopping) {
        // Whatever the shell left in its group gets the rest of the grace period, then SIGKILL.
        void stopping.then(() => finish(exitCode, signal));
        return;
      }
      clearTimeout(timeoutTimer);
      // Background processes the hook started may hold the pipe open; read what is there, then stop.
      const drain = setTimeout(() => finish(exitCode, signal), OUTPUT_DRAIN_MS);
      void stdoutClosed.then(() => {
        clearTimeout(drain);
        finish(exitCode, signal);
      });
    });
  });
}

function hookProcessEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of WITHHELD_VARIABLES) delete env[name];
  return env;
}

/** SIGTERM to the whole group; SIGKILL to what is left of it after the grace period. */
async function stopProcessGroup(pid: number | undefined): Promise<void> {
  signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + KILL_GRACE_MS;
  while (Date.now() < deadline && isGroupAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  if (isGroupAlive(pid)) signalGroup(pid, "SIGKILL");
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function isGroupAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last `limit` bytes of a stream, with a note when the beginning was dropped. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private isTruncated = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
      this.isTruncated = true;
    }
  }

  isEmpty(): boolean {
    return this.size === 0;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const tail = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    const isCut = this.isTruncated || tail.length < all.length;
    // A cut may split a multi-byte character; drop its remains.
    const text = tail.toString("utf8").replace(isCut ? /^\uFFFD+/ : /^$/, "");
    return isCut ? `[… earlier output dropped; the last 16 KiB follow]\n${text}` : text;
  }
}

/** The variables certbot gives a deploy hook: the live directory and the names, space-separated. */
export function hookEnvironment(lineageLiveDir: string, domains: string[]): { RENEWED_LINEAGE: string; RENEWED_DOMAINS: string } {
  return { RENEWED_LINEAGE: lineageLiveDir, RENEWED_DOMAINS: domains.join(" ") };
}
