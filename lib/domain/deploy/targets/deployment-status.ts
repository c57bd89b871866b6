import { z } from "zod";

/**
 * Where one certificate version stands on one deploy target (a Deployment row):
 * - pending: to be deployed (or, on a pull target, waiting for its agent to fetch it)
 * - waiting-window: waits for the maintenance window to open
 * - running: being deployed now
 * - verified: deployed, and the target's address serves exactly this version for every name
 * - deployed: deployed; the target has no address to verify against
 * - failed: not deployed (the reason is on the row; a transient failure is retried at nextAttemptAt)
 * - rolled-back: deployed, not served, and the target went back to the previous version
 * - installed: a pull agent reported it installed
 */
export const DEPLOYMENT_STATUSES = ["pending", "waiting-window", "running", "verified", "deployed", "failed", "rolled-back", "installed"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
export const deploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES);

/** The statuses that mean "this target has this version". */
export const DEPLOYED_STATUSES: readonly DeploymentStatus[] = ["verified", "deployed", "installed"];
/** The statuses that mean "this target does not have it, and something went wrong". */
export const FAILED_STATUSES: readonly DeploymentStatus[] = ["failed", "rolled-back"];

export function isDeployedStatus(status: string): boolean {
  return (DEPLOYED_STATUSES as readonly string[]).includes(status);
}

export function isFailedStatus(status: string): boolean {
  return (FAILED_STATUSES as readonly string[]).includes(status);
}

/** Short labels for badges and lists. */
export const DEPLOYMENT_STATUS_LABELS: Record<DeploymentStatus, string> = {
  pending: "pending",
  "waiting-window": "waiting for window",
  running: "deploying",
  verified: "verified",
  deployed: "deployed",
  failed: "failed",
  "rolled-back": "rolled back",
  installed: "installed",
};

/** A stored status as one of the list, or "pending" for anything unknown (a row written by a newer version). */
export function parseDeploymentStatus(status: string): DeploymentStatus {
  const parsed = deploymentStatusSchema.safeParse(status);
  return parsed.success ? parsed.data : "pending";
}

/** The deploy hook's part of a version's deploy (CertificateVersion.deployHookStatus). */
export type HookPartStatus = "deployed" | "waiting-window" | "failed";

export interface DeployPart {
  /** The target's name, put before its error; null for the deploy hook (its error names it). */
  label: string | null;
  status: DeploymentStatus | HookPartStatus;
  error: string | null;
}

export interface DeploySummary {
  status: "pending" | "deployed" | "waiting-window" | "deploy-failed";
  /** The failures in one text ("web-1: … · db-2: …"), or null. */
  error: string | null;
}

/**
 * A version's deployStatus from its parts (the deploy hook and one Deployment per target): failed
 * as soon as one part failed or was rolled back; else waiting for the window while one waits; else
 * pending while one is not deployed yet; deployed only when every part is. Each failure is named by
 * its target; the deploy hook's says itself what failed (a lone deploy hook reads exactly as
 * before there were targets).
 */
export function summarizeDeployParts(parts: DeployPart[]): DeploySummary {
  const failed = parts.filter((part) => part.status === "failed" || part.status === "rolled-back");
  if (failed.length > 0) {
    const error = failed
      .map((part) => `${part.label === null ? "" : `${part.label}: `}${part.error ?? (part.status === "rolled-back" ? "rolled back" : "The deploy failed.")}`)
      .join(" · ");
    return { status: "deploy-failed", error };
  }
  if (parts.some((part) => part.status === "waiting-window")) return { status: "waiting-window", error: null };
  if (parts.some((part) => !isDeployedStatus(part.status))) return { status: "pending", error: null };
  return { status: "deployed", error: null };
}

/** Automatic retries of a transient failure (SSH host unreachable …): after 1 min, 5 min, 15 min, 1 h, 4 h, then the operator. */
export const DEPLOY_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 3600_000, 4 * 3600_000] as const;

/** When to try again after `attempts` attempts (the first is 1), or null when the retries are used up. */
export function nextDeployAttemptAt(attempts: number, now: Date): Date | null {
  const delay = DEPLOY_RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}
