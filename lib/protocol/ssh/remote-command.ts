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

  return new Promise((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | null = null;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      // Ask the remote side to stop it (OpenSSH honours "signal" requests), then hang up.
      try {
        channel?.signal("KILL");
      } catch {
        // The channel is gone already.
      }
      channel?.close();
      const partial = result(null, null);
      reject(
        new AppError(
          "deploy_failed",
          `The command \`${command}\` did not finish within ${formatSeconds(timeoutMs)} on ${connection.label}; CertDeck stopped waiting.${quoteOutput(partial)}`,
          { reason: "ssh_command_timeout", isRetryable: true },
        ),
      );
    }, timeoutMs);

    connection.client.exec(command, (error, stream) => {
      if (error) {
        settled = true;
        clearTimeout(timer);
        reject(new AppError("deploy_failed", `${connection.label} did not let CertDeck run a command: ${error.message}.`, { reason: "ssh_command", cause: error }));
        return;
      }
      channel = stream;
      let exitCode: number | null = null;
      let signal: string | null = null;
      stream.on("data", (chunk: Buffer) => stdout.push(chunk));
      stream.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      stream.on("exit", (code: number | null, signalName?: string) => {
        exitCode = typeof code === "number" ? code : null;
        signal = signalName ?? null;
      });
      stream.on("close", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result(exitCode, signal));
      });
    });
  });
}

/** Throws a deploy_failed AppError quoting the output unless the command exited with 0. */
export function requireSuccess(connection: Pick<SshConnection, "label">, result: RemoteCommandResult, what = "The command"): RemoteCommandResult {
  if (result.exitCode === 0) return result;
  const how = result.exitCode !== null ? `failed with exit code ${result.exitCode}` : `was ended${result.signal ? ` by signal ${result.signal}` : " without an exit status"}`;
  throw new AppError("deploy_failed", `${what} \`${result.command}\` ${how} on ${connection.label}.${quoteOutput(result)}`, {
    reason: "ssh_command",
    logMessage: `Remote command on ${connection.label} ${how}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
  });
}

/** The end of the command's output for a message: stderr first (where errors go), then stdout. */
function quoteOutput(result: RemoteCommandResult): string {
  const parts = [result.stderr.trim() && `stderr: ${tail(result.stderr.trim())}`, result.stdout.trim() && `stdout: ${tail(result.stdout.trim())}`].filter(Boolean);
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
