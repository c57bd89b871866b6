import { z } from "zod";
import { REVOCATION_REASON_IDS } from "@/lib/protocol/acme/revocation-reasons";

export const JOB_TYPES = ["issue", "renew", "dry-run", "deploy", "revoke", "register-account"] as const;
export type JobType = (typeof JOB_TYPES)[number];
/** "waiting": parked until the operator acts (e.g. confirms a manual DNS record); still active. */
export const JOB_STATUSES = ["queued", "running", "waiting", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

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

/**
 * What each job type is told when it is queued (the Job row's `options`, JSON). The queue
 * checks options against these when a job is queued, and the runner parses them again when it
 * runs the job, so a handler gets exactly this type.
 */
const issueOptions = z.object({
  /** Order even though the pre-flight check failed (the job log records it). */
  issueAnyway: z.boolean().optional(),
});
export const JOB_OPTION_SCHEMAS = {
  issue: issueOptions,
  renew: issueOptions,
  "dry-run": z.object({}),
  deploy: z.object({}),
  revoke: z.object({
    revocationReason: z.enum(REVOCATION_REASON_IDS),
    /** Delete the certificate once the CA confirmed the revocation; who asked, for the audit log. */
    deleteAfterRevoke: z.object({ actor: z.string(), ip: z.string().nullable() }).optional(),
  }),
  "register-account": z.object({}),
} as const satisfies Record<JobType, z.ZodObject>;

export type JobOptionsOf<Type extends JobType> = z.output<(typeof JOB_OPTION_SCHEMAS)[Type]>;
