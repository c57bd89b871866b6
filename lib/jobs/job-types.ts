export const JOB_TYPES = ["issue", "renew", "dry-run", "deploy", "revoke", "register-account"] as const;
export type JobType = (typeof JOB_TYPES)[number];
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export const ACTIVE_JOB_STATUSES: JobStatus[] = ["queued", "running"];

export function isJobActive(status: string): boolean {
  return status === "queued" || status === "running";
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
