import { spawn } from "node:child_process";

/**
 * Runs an operator-configured command such as `nginx -t` or
 * `systemctl reload nginx || nginx -s reload` through /bin/sh, as a sysadmin would type it.
 * stdout and stderr arrive interleaved (nginx writes its verdict to stderr). Never throws: a
 * command that fails, hangs or cannot start is a result.
 */
export interface ShellCommandResult {
  command: string;
  /** null when it was killed (timeout) or could not start. */
  exitCode: number | null;
  /** The command's own words, at most the last 16 KiB, trimmed. */
  output: string;
  timedOut: boolean;
  durationMs: number;
}

const MAX_OUTPUT_BYTES = 16 * 1024;
/** Secrets a reload command never needs; kept out of its environment so they never reach a log. */
const WITHHELD_VARIABLES = ["CERTDECK_SECRET_KEY", "CERTDECK_ADMIN_PASSWORD"];

export function runShellCommand(command: string, timeoutMs: number): Promise<ShellCommandResult> {
  const started = performance.now();
  const env = { ...process.env };
  for (const name of WITHHELD_VARIABLES) delete env[name];
  return new Promise((resolve) => {
    let output = Buffer.alloc(0);
    let timedOut = false;
    let settled = false;
    const finish = (exitCode: number | null, extra = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const text = `${output.toString("utf8")}${extra}`.trim();
      resolve({ command, exitCode, output: text, timedOut, durationMs: Math.round(performance.now() - started) });
    };
    // Its own process group, so that a timeout stops everything the command started.
    const child = spawn("/bin/sh", ["-c", 'exec 2>&1; exec /bin/sh -c "$1"', "certdeck-command", command], {
      env,
      stdio: ["ignore", "pipe", "ignore"],
      detached: true,
    });
    child.stdout.on("data", (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > MAX_OUTPUT_BYTES) output = output.subarray(output.length - MAX_OUTPUT_BYTES);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.once("error", (error) => finish(null, `\ncould not run the command: ${error.message}`));
    // "close": the exit status and all output are in (a daemon left behind holding the pipe is
    // not waited for: the group is killed at the timeout at the latest).
    child.once("close", (exitCode) => finish(exitCode, timedOut ? `\n(stopped after ${Math.round(timeoutMs / 1000)} s)` : ""));
  });
}
