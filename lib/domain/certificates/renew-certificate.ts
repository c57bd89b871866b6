import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { ACTIVE_JOB_STATUSES } from "@/lib/data/queue/job-types";
import { discardHeldJob, enqueueCertificateJob, releaseHeldJob } from "@/lib/data/queue/queue";
import {
  findAcmeCertificateOrThrow,
  findCertificateOrThrow,
  jobAlreadyActive,
  queueCertificateJob,
  type QueuedCertificateJob,
} from "@/lib/domain/certificates/certificate-job";
import { defineCommand, type CommandContext } from "@/lib/domain/command/define-command";

/**
 * How long after a renewal succeeded a new "Renew" answers with that job instead of ordering
 * again (a first issuance does not count: renewing a certificate just issued is deliberate). A renewal takes seconds, so a burst of clicks, a second browser tab, or a
 * script that retries a POST whose answer it lost would otherwise order certificate after
 * certificate (each an order against the CA's rate limits). 60 seconds covers such repeats with
 * room to spare, and is short enough that a renewal wanted on purpose a minute later needs no
 * confirmation; within it, `again: true` orders anyway.
 */
export const RENEWED_RECENTLY_MS = 60_000;

export interface RenewResult extends QueuedCertificateJob {
  /** true: no new job; `jobId` is the renewal that succeeded within RENEWED_RECENTLY_MS. */
  reused: boolean;
  /** When that renewal finished (reused only). */
  finishedAt?: Date;
}

/**
 * Renew now (for a certificate never issued: try the issuance again). Idempotent for a minute: a
 * renewal that succeeded within RENEWED_RECENTLY_MS is answered instead of ordering again, unless
 * `again` is true. While a job works on the certificate (or waits to), AppError("conflict") names it.
 *
 * Why it cannot order twice from one burst: the recent renewal is looked for, then a new job is
 * queued held (the one active job per certificate is guaranteed by a unique index, so parallel
 * requests get the conflict), and looked for again before the held job is released: a renewal
 * that finished in between is answered and the held job taken back.
 */
export const renewCertificate = defineCommand(
  { name: "certificate.renew", permission: "write", does: "renew certificates", input: z.object({ id: idSchema, again: z.boolean().optional() }) },
  async ({ id, again }, context): Promise<RenewResult> => {
    const certificate = await findAcmeCertificateOrThrow(id, "renew");
    if (again) return { ...(await queueCertificateJob(context, certificate, { type: "renew", audit: { detail: { again: true } } })), reused: false };
    // A job at work on the certificate comes first: the answer names it, as for every command.
    const active = await db.job.findFirst({ where: { certificateId: id, status: { in: ACTIVE_JOB_STATUSES } }, select: { id: true } });
    if (active) throw await jobAlreadyActive(context, certificate, active.id);
    const recent = await recentRenewal(id);
    if (recent) return { jobId: recent.id, certificate, reused: true, finishedAt: recent.finishedAt };
    return queueUnlessJustRenewed(context, certificate);
  },
);

async function queueUnlessJustRenewed(context: CommandContext, certificate: { id: string; name: string }): Promise<RenewResult> {
  const reason = context.actor.kind === "api-token" ? "requested through the API" : undefined;
  const { jobId, isNew } = await enqueueCertificateJob(certificate.id, "renew", { reason, holdMs: 30_000 });
  if (!isNew) throw await jobAlreadyActive(context, certificate, jobId);
  const recent = await recentRenewal(certificate.id);
  if (recent && (await discardHeldJob(jobId))) return { jobId: recent.id, certificate, reused: true, finishedAt: recent.finishedAt };
  await releaseHeldJob(jobId);
  await context.audit({ target: certificate.name });
  return { jobId, certificate, reused: false };
}

/** The renewal of this certificate that succeeded within RENEWED_RECENTLY_MS, if any. */
async function recentRenewal(certificateId: string, now = new Date()): Promise<{ id: string; finishedAt: Date } | null> {
  const job = await db.job.findFirst({
    where: { certificateId, type: "renew", status: "succeeded", finishedAt: { gte: new Date(now.getTime() - RENEWED_RECENTLY_MS) } },
    orderBy: { finishedAt: "desc" },
    select: { id: true, finishedAt: true },
  });
  return job?.finishedAt ? { id: job.id, finishedAt: job.finishedAt } : null;
}

/** "Test renewal", like certbot renew --dry-run: the CA's staging directory, the live certificate untouched. */
export const testRenewal = defineCommand(
  { name: "certificate.test-renewal", permission: "write", does: "test renewals", input: z.object({ id: idSchema }) },
  async ({ id }, context) => queueCertificateJob(context, await findAcmeCertificateOrThrow(id, "test the renewal of"), { type: "dry-run" }),
);

/** Runs the deploy for the current version now, ignoring the maintenance window. */
export const deployCertificateNow = defineCommand(
  { name: "certificate.deploy", permission: "write", does: "deploy certificates", input: z.object({ id: idSchema }) },
  async ({ id }, context) => {
    const certificate = await findCertificateOrThrow(id);
    if (!(await hasIssuedVersion(id))) throw new AppError("conflict", `${certificate.name} has no issued version to deploy yet.`);
    return queueCertificateJob(context, certificate, { type: "deploy" });
  },
);

async function hasIssuedVersion(id: string): Promise<boolean> {
  return Boolean((await db.certificate.findUnique({ where: { id }, select: { currentVersionId: true } }))?.currentVersionId);
}
