export const JOB_TYPES = ["issue", "renew", "register-account"] as const;
export type JobType = (typeof JOB_TYPES)[number];
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export const ACTIVE_JOB_STATUSES: JobStatus[] = ["queued", "running"];

export function isJobActive(status: string): boolean {
  return status === "queued" || status === "running";
}

export const JOB_TYPE_LABELS: Record<JobType, string> = {
  issue: "Issue",
  renew: "Renew",
  "register-account": "Register account",
};
