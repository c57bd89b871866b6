/**
 * Runs one command on the SSH host (through the login shell, as `ssh host 'command'` does) with a
 * deadline, and keeps its exit code and the end of its output. A command that exits non-zero is an
 * answer, not an exception: `requireSuccess` turns it into an error that quotes the output.
 */
import type { ClientChannel } from "ssh2";
import { AppError } from "@/lib/core/app-error";
import type { SshConnection } from "@/lib/protocol/ssh/connect";

export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
/** Per stream; the end is kept, where the error usually is. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
/** How much of the output an error message quotes. */
const QUOTED_OUTPUT_CHARS = 2_000;

export interface RemoteCommandOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
}

export interface RemoteCommandResult {
  command: string;
  /** null when the command ended without an exit status (killed by a signal). */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Some output was dropped from the start of stdout or stderr (only the last maxOutputBytes are kept). */
  truncated: boolean;
  durationMs: number;
}

/** Keeps the last `limit` bytes written to it. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > this.limit * 2) this.compact();
  }
  private compact(): void {
    const all = Buffer.concat(this.chunks);
    if (all.length > this.limit) this.truncated = true;
    const kept = all.subarray(Math.max(0, all.length - this.limit));
    this.chunks = [kept];
    this.size = kept.length;
  }
  text(): string {
    this.compact();
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/**
 * The command is sent as `echo certdeck-pid:$$ >&2; <command>`: sshd starts every session in a
 * process group of its own, led by the shell whose pid that line tells (it is removed from
 * stderr). On timeout CertDeck kills that group through a second channel (TERM, then KILL a
 * second later), so a hung reload does not linger with its children. (SSH's own "signal" request
 * is not enough: OpenSSH ignores it for root logins and it reaches the shell only.)
 *
 * Like every command CertDeck sends (the reload presets, chown), this assumes a POSIX login shell
 * for the SSH user: sh, dash, bash, ksh or zsh.
 */
export function runRemoteCommand(connection: SshConnection, command: string, options: RemoteCommandOptions = {}): Promise<RemoteCommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const started = Date.now();
  const stdout = new OutputTail(limit);
  const stderr = new OutputTail(limit);
  const result = (exitCode: number | null, signal: string | null): RemoteCommandResult => ({
    command,
    exitCode,
    signal,
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: stdout.truncated || stderr.truncated,
    durationMs: Date.now() - started,
  });
  /** stderr until its first line is read; null afterwards. */
  let stderrHead: Buffer | null = Buffer.alloc(0);
  let remotePid: number | null = null;
  const takeStderr = (chunk: Buffer, ended = false) => {
    if (stderrHead === null) return stderr.push(chunk);
    stderrHead = Buffer.concat([stderrHead, chunk]);
    const newline = stderrHead.indexOf(0x0a);
    if (newline === -1 && stderrHead.length < 64 && !ended) return;
    const match = newline === -1 ? null : PID_LINE.exec(stderrHead.subarray(0, newline).toString("latin1"));
    if (match) {
      remotePid = Number(match[1]);
      stderr.push(stderrHead.subarray(newline + 1));
    } else {
      stderr.push(stderrHead);
    }
    stderrHead = null;
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | null = null;
    const timer = setTimeout(async () => {
      if (settled) return;
      settled = true;
      await stopRemoteCommand(connection, channel, remotePid);
      reject(
        new AppError(
          "deploy_failed",
          `The command \`${command}\` did not finish within ${formatSeconds(timeoutMs)} on ${connection.label}; CertDeck stopped it.${quoteOutput(result(null, null))}`,
          { reason: "ssh_command_timeout", isRetryable: true },
        ),
      );
    }, timeoutMs);

    connection.client.exec(`echo ${PID_MARKER}$$ >&2; ${command}`, (error, stream) => {
      if (error) {
        settled = true;
        clearTimeout(timer);
        reject(
          new AppError("deploy_failed", `${connection.label} did not let CertDeck run a command: ${error.message}.`, { reason: "ssh_command", cause: error }),
        );
        return;
      }
      channel = stream;
      let exitCode: number | null = null;
      let signal: string | null = null;
      stream.on("data", (chunk: Buffer) => stdout.push(chunk));
      stream.stderr.on("data", (chunk: Buffer) => takeStderr(chunk));
      stream.on("exit", (code: number | null, signalName?: string) => {
        exitCode = typeof code === "number" ? code : null;
        signal = signalName ?? null;
      });
      stream.on("close", () => {
        takeStderr(Buffer.alloc(0), true);
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result(exitCode, signal));
      });
    });
  });
}

const PID_MARKER = "certdeck-pid:";
const PID_LINE = /^certdeck-pid:([0-9]+)$/;

/** Kills the command's process group (or, without its pid, asks sshd to signal it) and closes the channel. */
async function stopRemoteCommand(connection: SshConnection, channel: ClientChannel | null, pid: number | null): Promise<void> {
  if (pid !== null && pid > 1) {
    const kill = `kill -s TERM -- -${pid} 2>/dev/null; sleep 1; kill -s KILL -- -${pid} 2>/dev/null; true`;
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(resolve, 5_000);
      connection.client.exec(kill, (error, stream) => {
        if (error) return resolve();
        stream.resume();
        stream.stderr.resume();
        stream.on("close", () => {
          clearTimeout(deadline);
          resolve();
        });
      });
    });
  } else {
    try {
      channel?.signal("TERM");
    } catch {
      // The channel is gone already.
    }
  }
  channel?.close();
}

/** Throws a deploy_failed AppError quoting the output unless the command exited with 0. */
export function requireSuccess(connection: Pick<SshConnection, "label">, result: RemoteCommandResult, what = "The command"): RemoteCommandResult {
  if (result.exitCode === 0) return result;
  const how =
    result.exitCode !== null
      ? `failed with exit code ${result.exitCode}`
      : `was ended${result.signal ? ` by signal ${result.signal}` : " without an exit status"}`;
  throw new AppError("deploy_failed", `${what} \`${result.command}\` ${how} on ${connection.label}.${quoteOutput(result)}`, {
    reason: "ssh_command",
    logMessage: `Remote command on ${connection.label} ${how}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
  });
}

/** The end of the command's output for a message: stderr first (where errors go), then stdout. */
function quoteOutput(result: RemoteCommandResult): string {
  const parts = [result.stderr.trim() && `stderr: ${tail(result.stderr.trim())}`, result.stdout.trim() && `stdout: ${tail(result.stdout.trim())}`].filter(
    Boolean,
  );
  return parts.length === 0 ? " It printed nothing." : ` Output: ${parts.join(" | ")}`;
}

function tail(text: string): string {
  return text.length <= QUOTED_OUTPUT_CHARS ? text : `…${text.slice(-QUOTED_OUTPUT_CHARS)}`;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Quotes one argument for a POSIX shell: 'it'\''s' style. */
export function shellQuote(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}
