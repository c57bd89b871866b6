export const JOB_TYPES = ["issue", "renew", "dry-run", "deploy", "revoke", "register-account"] as const;
export type JobType = (typeof JOB_TYPES)[number];
/** "waiting": parked until the operator acts (e.g. confirms a manual DNS record); still active. */
export type JobStatus = "queued" | "running" | "waiting" | "succeeded" | "failed";

export const ACTIVE_JOB_STATUSES: JobStatus[] = ["queued", "running", "waiting"];

export function isJobActive(status: string): boolean {
  return (ACTIVE_JOB_STATUSES as string[]).includes(status);
}

export const JOB_TYPE_LABELS: Record<JobType, string> = {
  issue: "Issue",
  renew: "Renew",
  "dry-run": "Test renewal",
  deploy: "Deploy",
  revoke: "Revoke",
  "register-account": "Register account",
};

/** Job types that work on one certificate (at most one of them queued or running at a time). */
export type CertificateJobType = Extract<JobType, "issue" | "renew" | "dry-run" | "deploy" | "revoke">;
