import "server-only";
import path from "node:path";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { parseStoredIdentifiers } from "@/lib/domain/certificates/identifiers";
import { db } from "@/lib/data/client";
import { getEffectiveRenewalSettings } from "@/lib/domain/deploy/effective-settings";
import { hookEnvironment, runHook, type HookResult } from "@/lib/domain/deploy/hooks";
import { describeWindow, isInsideWindow, nextWindowStart } from "@/lib/domain/deploy/maintenance-window";
import { certificatesDir, displayTimeZone } from "@/lib/core/env";
import { AppError } from "@/lib/core/app-error";
import { formatDateTime } from "@/lib/core/dates";

/** The job log's step writer (JobContext.log has this shape). */
export type DeployLog = (step: string, message: string, options?: { level?: "info" | "warn" | "error"; detail?: unknown }) => Promise<void>;

export type DeployOutcome =
  | { status: "deployed"; hookRan: boolean }
  | { status: "waiting-window"; windowOpensAt: Date }
  | { status: "deploy-failed"; reason: string };

export type HookOutcome =
  | { status: "skipped" }
  | { status: "succeeded"; command: string; durationMs: number }
  | { status: "failed"; command: string; reason: string };

/**
 * What happens after a new version's files are written (live/ already points at it): with no
 * deploy hook the version is deployed as it is; with one, the hook runs now when the maintenance
 * window is open (or there is none), else the version waits for the window's next opening,
 * unless the certificate services still serve would expire before then.
 *
 * `ignoreWindow` is for the scheduler's deploy run inside the window and for "Deploy now".
 */
export async function deployVersion(input: {
  certificateId: string;
  versionId: string;
  log: DeployLog;
  now?: Date;
  ignoreWindow?: boolean;
}): Promise<DeployOutcome> {
  const { certificateId, versionId, log } = input;
  const now = input.now ?? new Date();
  const version = await db.certificateVersion.findUnique({
    where: { id: versionId },
    select: { id: true, version: true, certificateId: true, certificate: { select: { name: true, identifiers: true } } },
  });
  if (!version || version.certificateId !== certificateId) throw new AppError("not_found", "That certificate version does not exist.");
  const settings = await getEffectiveRenewalSettings(certificateId);
  const liveDir = path.join(certificatesDir(), "live", lineageDirectoryName(version.certificate.name));

  if (settings.deployHook === "") {
    await markDeployed(versionId, now);
    await log("deploy", `No deploy hook is set: version ${version.version} is in ${liveDir}/, and services load it when they next read their certificates`);
    return { status: "deployed", hookRan: false };
  }

  if (!input.ignoreWindow) {
    if (settings.maintenanceWindowError) {
      const reason = `The maintenance window "${settings.maintenanceWindowSpec}" is not valid (${settings.maintenanceWindowError}), so the deploy hook did not run. Correct the window, then deploy.`;
      await markFailed(versionId, reason);
      await log("deploy", reason, { level: "error" });
      return { status: "deploy-failed", reason };
    }
    const window = settings.maintenanceWindow;
    if (window && !isInsideWindow(window, now, displayTimeZone())) {
      const opensAt = nextWindowStart(window, now, displayTimeZone());
      const served = await findServedVersion(certificateId, version.version);
      if (served && served.notAfter > opensAt) {
        await db.certificateVersion.update({ where: { id: versionId }, data: { deployStatus: "waiting-window", deployError: null } });
        await log("deploy", `Issued; the deploy hook waits for the maintenance window opening ${formatDateTime(opensAt, displayTimeZone())}`, {
          detail: `Window: ${describeWindow(window)} (${displayTimeZone()}). Version ${served.version}, valid until ${formatDateTime(served.notAfter, displayTimeZone())}, is served until then.`,
        });
        return { status: "waiting-window", windowOpensAt: opensAt };
      }
      await log(
        "deploy",
        served
          ? `The certificate still being served (version ${served.version}) expires ${formatDateTime(served.notAfter, displayTimeZone())}, before the maintenance window opens (${formatDateTime(opensAt, displayTimeZone())}): running the deploy hook now`
          : `No earlier version was ever deployed, so there is nothing to keep serving until the maintenance window opens (${formatDateTime(opensAt, displayTimeZone())}): running the deploy hook now`,
        { level: "warn" },
      );
    }
  }

  const env = hookEnvironment(liveDir, parseStoredIdentifiers(version.certificate.identifiers).map((identifier) => identifier.value));
  const outcome = await runLoggedHook({ step: "deploy", label: "deploy hook", command: settings.deployHook, env, timeoutMs: settings.hookTimeoutMs, log });
  if (outcome.status === "failed") {
    await markFailed(versionId, outcome.reason);
    return { status: "deploy-failed", reason: outcome.reason };
  }
  await markDeployed(versionId, input.now ?? new Date());
  return { status: "deployed", hookRan: true };
}

/**
 * Runs the certificate's pre-hook (certbot --pre-hook) before a renewal contacts the CA. Only
 * call it when a renewal actually happens; when it fails, stop and report the reason.
 */
export async function runPreHook(certificateId: string, log: DeployLog): Promise<HookOutcome> {
  const settings = await getEffectiveRenewalSettings(certificateId);
  return runLoggedHook({ step: "pre-hook", label: "pre-hook", command: settings.preHook, env: {}, timeoutMs: settings.hookTimeoutMs, log });
}

/** Runs the certificate's post-hook (certbot --post-hook) after a renewal attempt, whether it succeeded or not. */
export async function runPostHook(certificateId: string, log: DeployLog): Promise<HookOutcome> {
  const settings = await getEffectiveRenewalSettings(certificateId);
  return runLoggedHook({ step: "post-hook", label: "post-hook", command: settings.postHook, env: {}, timeoutMs: settings.hookTimeoutMs, log });
}

export interface WaitingDeploy {
  versionId: string;
  certificateId: string;
  /** Why the deploy is due now. */
  reason: "window-open" | "expires-before-window" | "no-window" | "no-deploy-hook";
}

/**
 * Versions waiting for their maintenance window whose deploy is due at `now`: the window is
 * open, or the certificate still being served would expire before it opens, or the window or
 * deploy hook was removed since. Only each certificate's current version counts (a newer
 * version makes an older waiting one moot); a version whose window no longer parses stays
 * waiting (the settings page says why). The scheduler enqueues a deploy run for each, which
 * calls deployVersion with ignoreWindow.
 */
export async function listVersionsWaitingForWindow(now: Date = new Date()): Promise<WaitingDeploy[]> {
  const waiting = await db.certificateVersion.findMany({
    where: { deployStatus: "waiting-window", currentOf: { isNot: null } },
    select: { id: true, certificateId: true, version: true },
    orderBy: { createdAt: "asc" },
  });
  const due: WaitingDeploy[] = [];
  for (const version of waiting) {
    const settings = await getEffectiveRenewalSettings(version.certificateId);
    const entry = { versionId: version.id, certificateId: version.certificateId };
    if (settings.deployHook === "") due.push({ ...entry, reason: "no-deploy-hook" });
    else if (settings.maintenanceWindowError) continue;
    else if (!settings.maintenanceWindow) due.push({ ...entry, reason: "no-window" });
    else if (isInsideWindow(settings.maintenanceWindow, now, displayTimeZone())) due.push({ ...entry, reason: "window-open" });
    else {
      const opensAt = nextWindowStart(settings.maintenanceWindow, now, displayTimeZone());
      const served = await findServedVersion(version.certificateId, version.version);
      if (!served || served.notAfter <= opensAt) due.push({ ...entry, reason: "expires-before-window" });
    }
  }
  return due;
}

/** The newest earlier version that was deployed: what nginx and friends still serve. */
async function findServedVersion(certificateId: string, beforeVersion: number) {
  return db.certificateVersion.findFirst({
    where: { certificateId, version: { lt: beforeVersion }, deployStatus: "deployed" },
    orderBy: { version: "desc" },
    select: { version: true, notAfter: true },
  });
}

async function markDeployed(versionId: string, at: Date): Promise<void> {
  await db.certificateVersion.update({ where: { id: versionId }, data: { deployStatus: "deployed", deployedAt: at, deployError: null } });
}

async function markFailed(versionId: string, reason: string): Promise<void> {
  await db.certificateVersion.update({ where: { id: versionId }, data: { deployStatus: "deploy-failed", deployError: reason } });
}

/** Runs one hook, logs the command, its exit and its output, and says in a sentence why it failed. */
async function runLoggedHook(input: {
  step: string;
  label: string;
  command: string;
  env: Record<string, string>;
  timeoutMs: number;
  log: DeployLog;
}): Promise<HookOutcome> {
  const { step, label, command, env, timeoutMs, log } = input;
  if (command === "") return { status: "skipped" };
  await log(step, `Running the ${label}: ${command}`, Object.keys(env).length > 0 ? { detail: env } : undefined);
  const result = await runHook(command, { env, timeoutMs });
  const detail = result.output === "" ? "(no output)" : result.output;
  const seconds = formatSeconds(result.durationMs);
  if (result.exitCode === 0 && !result.timedOut) {
    await log(step, `The ${label} exited with code 0 after ${seconds}`, { detail });
    return { status: "succeeded", command, durationMs: result.durationMs };
  }
  const reason = describeFailure(label, command, result, timeoutMs);
  await log(step, reason, { level: "error", detail });
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
