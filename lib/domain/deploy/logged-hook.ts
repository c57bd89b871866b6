import "server-only";
import { runHook, type HookResult } from "@/lib/domain/deploy/hooks";

/** The job log's step writer (JobContext.log has this shape). */
export type DeployLog = (step: string, message: string, options?: { level?: "info" | "warn" | "error"; detail?: unknown }) => Promise<void>;

export type HookOutcome =
  { status: "skipped" } | { status: "succeeded"; command: string; durationMs: number } | { status: "failed"; command: string; reason: string };

/** Runs one hook, logs the command, its exit and its output, and says in a sentence why it failed. */
export async function runLoggedHook(input: {
  step: string;
  label: string;
  command: string;
  env: Record<string, string>;
  timeoutMs: number;
  log: DeployLog;
  /** Put before each logged message ("web-1: "). */
  prefix?: string;
}): Promise<HookOutcome> {
  const { step, label, command, env, timeoutMs, log } = input;
  const prefix = input.prefix ?? "";
  if (command === "") return { status: "skipped" };
  await log(step, `${prefix}Running the ${label}: ${command}`, Object.keys(env).length > 0 ? { detail: env } : undefined);
  const result = await runHook(command, { env, timeoutMs });
  const detail = result.output === "" ? "(no output)" : result.output;
  const seconds = formatSeconds(result.durationMs);
  if (result.exitCode === 0 && !result.timedOut) {
    await log(step, `${prefix}The ${label} exited with code 0 after ${seconds}`, { detail });
    return { status: "succeeded", command, durationMs: result.durationMs };
  }
  const reason = describeFailure(label, command, result, timeoutMs);
  await log(step, `${prefix}${reason}`, { level: "error", detail });
  return { status: "failed", command, reason };
}

function describeFailure(label: string, command: string, result: HookResult, timeoutMs: number): string {
  const name = `The ${label} "${shorten(command, 120)}"`;
  const lastLine = lastOutputLine(result.output);
  if (result.timedOut) return `${name} timed out after ${Math.round(timeoutMs / 1000)} s and was stopped${lastLine ? `; its last output: ${lastLine}` : ""}`;
  if (result.exitCode !== null) return `${name} exited with code ${result.exitCode}${lastLine ? `: ${lastLine}` : " without any output"}`;
  if (result.signal) return `${name} was killed by ${result.signal}${lastLine ? `; its last output: ${lastLine}` : ""}`;
  return `${name} could not be run${lastLine ? `: ${lastLine}` : ""}`;
}

function lastOutputLine(output: string): string {
  const line = output
    .split("\n")
    .map((text) => text.trim())
    .filter(Boolean)
    .at(-1);
  return line ? shorten(line, 300) : "";
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ⏎ ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
