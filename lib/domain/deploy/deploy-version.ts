import "server-only";
import path from "node:path";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { db } from "@/lib/data/client";
import { checkCertificateEndpointsSoon } from "@/lib/domain/endpoints/target-endpoints";
import { syncCertificateEndpoints } from "@/lib/domain/deploy/targets/target-endpoint-sync";
import { decryptSecret } from "@/lib/data/secret-box";
import { getEffectiveRenewalSettings, type EffectiveRenewalSettings } from "@/lib/domain/deploy/effective-settings";
import { hookEnvironment } from "@/lib/domain/deploy/hooks";
import { runLoggedHook, type DeployLog, type HookOutcome } from "@/lib/domain/deploy/logged-hook";
import { describeWindow, isInsideWindow, nextWindowStart } from "@/lib/domain/deploy/maintenance-window";
import { notifyDeployRecovered, notifyHookFailed, notifyTargetFailed } from "@/lib/domain/deploy/deploy-notifications";
import { deployToTarget, type VersionToDeploy } from "@/lib/domain/deploy/targets/deploy-to-target";
import {
  isDeployedStatus,
  isFailedStatus,
  nextDeployAttemptAt,
  parseDeploymentStatus,
  summarizeDeployParts,
  type DeployPart,
  type DeploymentStatus,
  type HookPartStatus,
} from "@/lib/domain/deploy/targets/deployment-status";
import { isPassiveTargetType } from "@/lib/domain/deploy/targets/target-config";
import { resolveTargetsForCertificate, type TargetRef } from "@/lib/domain/deploy/targets/queries";
import { certificatesDir, displayTimeZone } from "@/lib/core/env";
import { AppError } from "@/lib/core/app-error";
import { formatDateTime } from "@/lib/core/dates";

export type { DeployLog, HookOutcome } from "@/lib/domain/deploy/logged-hook";

/** One target's part of a deploy, as it ended. */
export interface DeploymentResult {
  targetId: string;
  targetName: string;
  status: DeploymentStatus;
  error: string | null;
  /** A transient failure is tried again then. */
  nextAttemptAt: Date | null;
}

/**
 * How a deploy ended. `deployments` is there when the certificate has deploy targets: a
 * certificate with only a deploy hook (or nothing) gets exactly what it got before there were
 * targets.
 */
export type DeployOutcome =
  | { status: "deployed"; hookRan: boolean; deployments?: DeploymentResult[] }
  | { status: "waiting-window"; windowOpensAt: Date; deployments?: DeploymentResult[] }
  | { status: "deploy-failed"; reason: string; deployments?: DeploymentResult[] }
  /** Not everywhere yet: a pull agent has still to fetch it, or a target was not deployed in this run. */
  | { status: "pending"; deployments: DeploymentResult[] };

export interface DeployVersionInput {
  certificateId: string;
  versionId: string;
  log: DeployLog;
  now?: Date;
  /** For the scheduler's deploy run inside the window, and for "Deploy now". */
  ignoreWindow?: boolean;
  /** Only these deploy targets; the deploy hook does not run. Absent: the hook and every target. */
  targetIds?: string[];
  /** Only what is not deployed yet (the hook unless it ran, targets not verified or deployed). */
  unfinishedOnly?: boolean;
  /** An automatic retry: attempts count on (else this is attempt 1). */
  isRetry?: boolean;
  /** The certificate's window and hooks, when the caller read them already (an issue job, at its start). */
  settings?: EffectiveRenewalSettings;
  /** The version and its certificate's names, when the caller has them (the issue job that stored it). */
  version?: VersionRow;
}

/**
 * What happens after a new version's files are written (live/ already points at it): the deploy
 * hook (certbot's --deploy-hook, the certificate's or the global one, as before there were
 * targets) and each deploy target the certificate uses (its own, else the default targets), each
 * with a Deployment row of its own. Everything waits for the maintenance window when it is
 * closed, unless the certificate services still serve would expire before it opens. The
 * version's deployStatus sums the parts up (lib/domain/deploy/targets/deployment-status.ts).
 *
 * With neither a deploy hook nor targets, the version is deployed as it is: services load the
 * files in live/ when they next read them.
 */
export async function deployVersion(input: DeployVersionInput): Promise<DeployOutcome> {
  const version = input.version ?? (await readVersion(input));
  const { targets } = await resolveTargetsForCertificate(input.certificateId);
  const outcome = await deployToTargets(input, version, targets);
  // The endpoints the targets verify at are watched: keep them in step and look at them now.
  await syncCertificateEndpoints(input.certificateId, { identifiers: version.certificate.identifiers, targets, now: input.now });
  await checkCertificateEndpointsSoon(input.certificateId, input.now);
  return outcome;
}

export interface VersionRow {
  id: string;
  version: number;
  deployHookStatus: string | null;
  certificate: { name: string; identifiers: string };
}

async function readVersion({ certificateId, versionId }: DeployVersionInput): Promise<VersionRow> {
  const version = await db.certificateVersion.findUnique({
    where: { id: versionId },
    select: { id: true, version: true, certificateId: true, deployHookStatus: true, certificate: { select: { name: true, identifiers: true } } },
  });
  if (!version || version.certificateId !== certificateId) throw new AppError("not_found", "That certificate version does not exist.");
  return version;
}

async function deployToTargets(input: DeployVersionInput, version: VersionRow, inEffect: TargetRef[]): Promise<DeployOutcome> {
  const { certificateId, versionId, log } = input;
  const now = input.now ?? new Date();
  const settings = input.settings ?? (await getEffectiveRenewalSettings(certificateId));
  const liveDir = path.join(certificatesDir(), "live", lineageDirectoryName(version.certificate.name));
  const certificate = { id: certificateId, name: version.certificate.name };
  const versionRef = { id: version.id, version: version.version };

  const hasHook = settings.deployHook !== "";
  const wholeVersion = input.targetIds === undefined;
  if (wholeVersion && !hasHook && inEffect.length === 0) {
    // Nothing to run: the version is deployed as it is (summarize's verdict for no parts, in one write).
    await db.certificateVersion.update({
      where: { id: versionId },
      data: { deployHookStatus: null, deployHookError: null, deployStatus: "deployed", deployError: null, deployedAt: now },
    });
    await log("deploy", `No deploy hook is set: version ${version.version} is in ${liveDir}/, and services load it when they next read their certificates`);
    return { status: "deployed", hookRan: false };
  }

  const rows = new Map((await db.deployment.findMany({ where: { versionId } })).map((row) => [row.targetId, row]));
  const runsHook = wholeVersion && hasHook && !(input.unfinishedOnly && version.deployHookStatus === "deployed");
  let chosen = wholeVersion ? inEffect : inEffect.filter((target) => input.targetIds?.includes(target.id));
  if (input.unfinishedOnly) chosen = chosen.filter((target) => !isDeployedStatus(rows.get(target.id)?.status ?? "pending"));
  const active = chosen.filter((target) => !isPassiveTargetType(target.type));

  // Requested targets the certificate no longer uses: no more retries for them.
  const dropped = (input.targetIds ?? []).filter((id) => !inEffect.some((target) => target.id === id));
  if (dropped.length > 0) await db.deployment.updateMany({ where: { versionId, targetId: { in: dropped } }, data: { nextAttemptAt: null } });
  // A pull agent fetches the version itself: its row says "pending" until the agent reports.
  for (const target of chosen.filter((candidate) => isPassiveTargetType(candidate.type))) {
    if (!rows.has(target.id)) await db.deployment.create({ data: { versionId, targetId: target.id, status: "pending" } });
  }
  if (wholeVersion && !hasHook) await saveHookPart(versionId, null, null);

  const hookOnly = inEffect.length === 0;
  if (!input.ignoreWindow && (runsHook || active.length > 0)) {
    const what = describeWork(runsHook, active);
    if (settings.maintenanceWindowError) {
      const reason = hookOnly
        ? `The maintenance window "${settings.maintenanceWindowSpec}" is not valid (${settings.maintenanceWindowError}), so the deploy hook did not run. Correct the window, then deploy.`
        : `The maintenance window "${settings.maintenanceWindowSpec}" is not valid (${settings.maintenanceWindowError}), so nothing was deployed (${what}). Correct the window, then deploy.`;
      await log("deploy", reason, { level: "error" });
      if (runsHook) {
        await saveHookPart(versionId, "failed", reason);
        await notifyHookFailed(certificate, versionRef, reason);
      }
      for (const target of active) {
        await saveDeployment(versionId, target.id, { status: "failed", error: reason, nextAttemptAt: null, finishedAt: now });
        await notifyTargetFailed(certificate, versionRef, target, { reason, rolledBack: false });
      }
      return outcomeOf(await summarize(versionId, inEffect, now), inEffect, versionId, { hookRan: false });
    }
    const window = settings.maintenanceWindow;
    if (window && !isInsideWindow(window, now, displayTimeZone())) {
      const opensAt = nextWindowStart(window, now, displayTimeZone());
      const served = await findServedVersion(certificateId, version.version);
      if (served && served.notAfter > opensAt) {
        if (runsHook) await saveHookPart(versionId, "waiting-window", null);
        for (const target of active) await saveDeployment(versionId, target.id, { status: "waiting-window", error: null, nextAttemptAt: opensAt });
        await log(
          "deploy",
          `Issued; ${hookOnly ? "the deploy hook waits" : `${what} ${runsHook || active.length > 1 ? "wait" : "waits"}`} for the maintenance window opening ${formatDateTime(opensAt, displayTimeZone())}`,
          {
            detail: `Window: ${describeWindow(window)} (${displayTimeZone()}). Version ${served.version}, valid until ${formatDateTime(served.notAfter, displayTimeZone())}, is served until then.`,
          },
        );
        const summary = await summarize(versionId, inEffect, now);
        return summary.status === "waiting-window"
          ? { status: "waiting-window", windowOpensAt: opensAt, ...deploymentsPart(inEffect, versionId, await rowsOf(versionId)) }
          : outcomeOf(summary, inEffect, versionId, { hookRan: false });
      }
      const action = hookOnly ? "running the deploy hook now" : "deploying now";
      await log(
        "deploy",
        served
          ? `The certificate still being served (version ${served.version}) expires ${formatDateTime(served.notAfter, displayTimeZone())}, before the maintenance window opens (${formatDateTime(opensAt, displayTimeZone())}): ${action}`
          : `No earlier version was ever deployed, so there is nothing to keep serving until the maintenance window opens (${formatDateTime(opensAt, displayTimeZone())}): ${action}`,
        { level: "warn" },
      );
    }
  }

  let hookRan = false;
  if (runsHook) {
    const env = hookEnvironment(liveDir, identifierValues(version.certificate.identifiers));
    const outcome = await runLoggedHook({ step: "deploy", label: "deploy hook", command: settings.deployHook, env, timeoutMs: settings.hookTimeoutMs, log });
    hookRan = outcome.status !== "skipped";
    if (outcome.status === "failed") {
      await saveHookPart(versionId, "failed", outcome.reason);
      await notifyHookFailed(certificate, versionRef, outcome.reason);
    } else {
      await saveHookPart(versionId, "deployed", null);
    }
  }

  if (active.length > 0) {
    const toDeploy = await versionToDeploy(versionId, liveDir, settings);
    for (const target of active) {
      await deployOneTarget({
        target,
        versionId,
        toDeploy,
        previous: rows.get(target.id) ?? null,
        isRetry: Boolean(input.isRetry),
        log,
        certificate,
        versionRef,
      });
    }
  }

  return outcomeOf(await summarize(versionId, inEffect, input.now ?? new Date()), inEffect, versionId, { hookRan });
}

function identifierValues(stored: string): string[] {
  return parseStoredIdentifiers(stored).map((identifier) => identifier.value);
}

/** "the deploy hook and 2 deploy targets (web-1, backup)", for the log. */
function describeWork(runsHook: boolean, active: TargetRef[]): string {
  const targets =
    active.length === 0
      ? ""
      : `${active.length === 1 ? "the deploy target" : `${active.length} deploy targets`} ${active.map((target) => target.name).join(", ")}`;
  if (runsHook && targets) return `the deploy hook and ${targets}`;
  return runsHook ? "the deploy hook" : targets;
}

async function versionToDeploy(versionId: string, liveDir: string, settings: EffectiveRenewalSettings): Promise<VersionToDeploy> {
  const version = await db.certificateVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: { version: true, fingerprintSha256: true, chainPem: true, privateKeyEnc: true, certificate: { select: { name: true, identifiers: true } } },
  });
  return {
    certificateName: version.certificate.name,
    names: identifierValues(version.certificate.identifiers),
    version: version.version,
    fingerprintSha256: version.fingerprintSha256,
    chainPem: version.chainPem,
    privateKeyPem: decryptSecret(version.privateKeyEnc),
    liveDir,
    hookTimeoutMs: settings.hookTimeoutMs,
  };
}

interface PreviousDeployment {
  status: string;
  attempts: number;
}

/** One target: its row goes running, the attempt, then the row says how it ended; notifies failures and recoveries. */
async function deployOneTarget(input: {
  target: TargetRef;
  versionId: string;
  toDeploy: VersionToDeploy;
  previous: PreviousDeployment | null;
  isRetry: boolean;
  log: DeployLog;
  certificate: { id: string; name: string };
  versionRef: { id: string; version: number };
}): Promise<void> {
  const { target, versionId, previous, log } = input;
  const attempts = input.isRetry ? (previous?.attempts ?? 0) + 1 : 1;
  await saveDeployment(versionId, target.id, { status: "running", error: null, nextAttemptAt: null, attempts, startedAt: new Date(), finishedAt: null });
  const attempt = await deployToTarget(target, input.toDeploy, log);
  const finishedAt = new Date();
  let error = attempt.error;
  let nextAttemptAt: Date | null = null;
  if (attempt.status === "failed" && attempt.isRetryable) {
    nextAttemptAt = nextDeployAttemptAt(attempts, finishedAt);
    const retry = nextAttemptAt
      ? `Trying again ${formatDateTime(nextAttemptAt, displayTimeZone())} (attempt ${attempts + 1}).`
      : `No more automatic attempts after ${attempts}: press "Deploy now" once it is fixed.`;
    error = `${attempt.error ?? "The deploy failed."} ${retry}`;
    await log("deploy", `${target.name}: ${retry}`, { level: "warn" });
  }
  await saveDeployment(versionId, target.id, { status: attempt.status, error, nextAttemptAt, servedFingerprint: attempt.servedFingerprint, finishedAt });
  if (isFailedStatus(attempt.status)) {
    await notifyTargetFailed(input.certificate, input.versionRef, target, {
      reason: error ?? "The deploy failed.",
      rolledBack: attempt.status === "rolled-back",
    });
  } else if (previous && isFailedStatus(previous.status)) {
    await notifyDeployRecovered(input.certificate, input.versionRef, target);
  }
}

async function saveDeployment(
  versionId: string,
  targetId: string,
  data: {
    status: DeploymentStatus;
    error: string | null;
    nextAttemptAt: Date | null;
    attempts?: number;
    servedFingerprint?: string | null;
    startedAt?: Date;
    finishedAt?: Date | null;
  },
): Promise<void> {
  await db.deployment.upsert({ where: { versionId_targetId: { versionId, targetId } }, create: { versionId, targetId, ...data }, update: data });
}

async function saveHookPart(versionId: string, status: HookPartStatus | null, error: string | null): Promise<void> {
  await db.certificateVersion.update({ where: { id: versionId }, data: { deployHookStatus: status, deployHookError: error } });
}

async function rowsOf(versionId: string) {
  return db.deployment.findMany({ where: { versionId }, select: { targetId: true, status: true, error: true, nextAttemptAt: true } });
}

/**
 * Writes the version's deployStatus from its parts: the deploy hook (when it is part of this
 * version's deploy) and the Deployment of every target the certificate uses (none yet: pending).
 */
export async function summarize(versionId: string, inEffect: Array<{ id: string; name: string }>, now: Date) {
  const version = await db.certificateVersion.findUniqueOrThrow({ where: { id: versionId }, select: { deployHookStatus: true, deployHookError: true } });
  const rows = await rowsOf(versionId);
  const parts: DeployPart[] = [];
  if (version.deployHookStatus === "deployed" || version.deployHookStatus === "waiting-window" || version.deployHookStatus === "failed") {
    parts.push({ label: null, status: version.deployHookStatus, error: version.deployHookError });
  }
  for (const target of inEffect) {
    const row = rows.find((candidate) => candidate.targetId === target.id);
    parts.push({ label: target.name, status: row ? parseDeploymentStatus(row.status) : "pending", error: row?.error ?? null });
  }
  const summary = summarizeDeployParts(parts);
  await db.certificateVersion.update({
    where: { id: versionId },
    data: { deployStatus: summary.status, deployError: summary.error, ...(summary.status === "deployed" ? { deployedAt: now } : {}) },
  });
  return summary;
}

/** Recomputes a version's deployStatus after one of its Deployments changed outside a deploy run (a pull agent's report). */
export async function refreshVersionDeployStatus(versionId: string, now: Date = new Date()): Promise<void> {
  const version = await db.certificateVersion.findUnique({ where: { id: versionId }, select: { certificateId: true } });
  if (!version) return;
  const { targets } = await resolveTargetsForCertificate(version.certificateId);
  await summarize(versionId, targets, now);
}

function deploymentsPart(inEffect: TargetRef[], versionId: string, rows: Awaited<ReturnType<typeof rowsOf>>): { deployments?: DeploymentResult[] } {
  if (inEffect.length === 0) return {};
  return {
    deployments: inEffect.map((target) => {
      const row = rows.find((candidate) => candidate.targetId === target.id);
      return {
        targetId: target.id,
        targetName: target.name,
        status: row ? parseDeploymentStatus(row.status) : "pending",
        error: row?.error ?? null,
        nextAttemptAt: row?.nextAttemptAt ?? null,
      };
    }),
  };
}

/** The outcome the jobs report, from the version's summary. */
async function outcomeOf(
  summary: { status: string; error: string | null },
  inEffect: TargetRef[],
  versionId: string,
  extra: { hookRan: boolean },
): Promise<DeployOutcome> {
  const part = deploymentsPart(inEffect, versionId, await rowsOf(versionId));
  switch (summary.status) {
    case "deploy-failed":
      return { status: "deploy-failed", reason: summary.error ?? "The deploy failed.", ...part };
    case "deployed":
      return { status: "deployed", hookRan: extra.hookRan, ...part };
    case "waiting-window": {
      const opensAt = part.deployments?.map((deployment) => deployment.nextAttemptAt).find((at): at is Date => at !== null);
      return { status: "waiting-window", windowOpensAt: opensAt ?? new Date(), ...part };
    }
    default:
      return { status: "pending", deployments: part.deployments ?? [] };
  }
}

/**
 * Runs the certificate's pre-hook (certbot --pre-hook; `settings`: getEffectiveRenewalSettings)
 * before a renewal contacts the CA. Only call it when a renewal actually happens; when it fails,
 * stop and report the reason.
 */
export function runPreHook(settings: EffectiveRenewalSettings, log: DeployLog): Promise<HookOutcome> {
  return runLoggedHook({ step: "pre-hook", label: "pre-hook", command: settings.preHook, env: {}, timeoutMs: settings.hookTimeoutMs, log });
}

/** Runs the certificate's post-hook (certbot --post-hook) after a renewal attempt, whether it succeeded or not. */
export function runPostHook(settings: EffectiveRenewalSettings, log: DeployLog): Promise<HookOutcome> {
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
 * open, or the certificate still being served would expire before it opens, or the window (or
 * the deploy hook and every deploy target) was removed since. Only each certificate's current
 * version counts (a newer version makes an older waiting one moot); a version whose window no
 * longer parses stays waiting (the settings page says why). The scheduler enqueues a deploy run
 * for each, which calls deployVersion with ignoreWindow for what is not deployed yet.
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
    const { targets } = await resolveTargetsForCertificate(version.certificateId);
    const hasActiveTargets = targets.some((target) => !isPassiveTargetType(target.type));
    if (settings.deployHook === "" && !hasActiveTargets) due.push({ ...entry, reason: "no-deploy-hook" });
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
