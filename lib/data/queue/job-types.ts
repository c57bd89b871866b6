import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { REVOCATION_REASON_IDS } from "@/lib/protocol/acme/revocation-reasons";

export const JOB_TYPES = ["issue", "renew", "dry-run", "deploy", "revoke", "register-account"] as const;
export type JobType = (typeof JOB_TYPES)[number];
/** A Job row's `type` as read from the database. */
export const jobTypeSchema = z.enum(JOB_TYPES);
/** "waiting": parked until the operator acts (e.g. confirms a manual DNS record); still active. */
export const JOB_STATUSES = ["queued", "running", "waiting", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** A Job row's `status` as read from the database. */
export const jobStatusSchema = z.enum(JOB_STATUSES);

export const ACTIVE_JOB_STATUSES: JobStatus[] = ["queued", "running", "waiting"];
export const FINISHED_JOB_STATUSES: JobStatus[] = ["succeeded", "failed"];

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

/** The label of a stored job type; an unknown type as it is stored. */
export function jobTypeLabel(type: string): string {
  const parsed = jobTypeSchema.safeParse(type);
  return parsed.success ? JOB_TYPE_LABELS[parsed.data] : type;
}

/** Job types that work on one certificate (at most one of them queued or running at a time). */
export type CertificateJobType = Extract<JobType, "issue" | "renew" | "dry-run" | "deploy" | "revoke">;

/**
 * What each job type is told when it is queued (the Job row's `options`, JSON). Whoever queues a
 * job passes this type; the runner parses the stored options with these schemas when it claims
 * the job (lib/jobs/handlers/define-job.ts), so a handler gets exactly this type, and a stored value that
 * does not parse fails the job with the field's message.
 */
const issueOptions = z.object({
  /** Order even though the pre-flight check failed (the job log records it). */
  issueAnyway: z.boolean().optional(),
});
export const JOB_OPTION_SCHEMAS = {
  issue: issueOptions,
  renew: issueOptions,
  "dry-run": z.object({}),
  deploy: z.object({
    /** Only these deploy targets (the deploy hook does not run); absent: the hook and every target. */
    targetIds: z.array(idSchema).max(100).optional(),
    /** Only what is not deployed yet: the scheduler's run when the maintenance window opens. */
    unfinishedOnly: z.boolean().optional(),
    /** An automatic retry of failed targets: it keeps to the maintenance window ("Deploy now" does not). */
    isRetry: z.boolean().optional(),
  }),
  revoke: z.object({
    revocationReason: z.enum(REVOCATION_REASON_IDS, { error: "No valid revocation reason was given." }),
    /** Delete the certificate once the CA confirmed the revocation; who asked, for the audit log. */
    deleteAfterRevoke: z.object({ actor: z.string(), ip: z.string().nullable() }).optional(),
  }),
  "register-account": z.object({}),
} as const satisfies Record<JobType, z.ZodObject>;

export type JobOptionsOf<Type extends JobType> = z.output<(typeof JOB_OPTION_SCHEMAS)[Type]>;
