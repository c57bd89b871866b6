import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { logJobEvent } from "@/lib/data/queue/job-log";
import { publishJobStatus } from "@/lib/data/queue/job-updates";
import { resumeWaitingJob } from "@/lib/data/queue/queue";
import { defineCommand } from "@/lib/domain/command/define-command";
import { readManualDnsState } from "@/lib/domain/dns-providers/manual-state";

/** A job on a certificate's page: the job must belong to the certificate whose page asks. */
export const manualDnsJobInput = z.strictObject({ certificateId: idSchema, jobId: idSchema });

export const JOB_GONE_MESSAGE = "That job does not exist any more. Reload the page.";

/** The certificate the job works on, or AppError("not_found") when the job is not that certificate's. */
export async function findCertificateOfJob(certificateId: string, jobId: string): Promise<{ id: string; name: string }> {
  const job = await db.job.findFirst({ where: { id: jobId, certificateId }, select: { certificate: { select: { id: true, name: true } } } });
  if (!job?.certificate) throw new AppError("not_found", JOB_GONE_MESSAGE);
  return job.certificate;
}

export interface ManualDnsJobResult {
  certificateId: string;
  certificateName: string;
}

/**
 * The operator's "Done — records created": the waiting job runs again, checks that the records
 * are visible at every authoritative nameserver and, when they are, asks the CA to validate.
 */
export const confirmManualDnsRecords = defineCommand(
  { name: "certificate.dns-records-confirmed", permission: "write", does: "confirm DNS records", input: manualDnsJobInput },
  async ({ certificateId, jobId }, context): Promise<ManualDnsJobResult> => {
    const certificate = await findCertificateOfJob(certificateId, jobId);
    const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
    const saved = await readManualDnsState(jobId);
    if (job?.status !== "waiting" || !saved.manualDnsRecords) {
      throw new AppError("conflict", "This job is not waiting for DNS records any more; the page shows what it is doing now.");
    }
    // The job's responder sees the resume on the job row and checks the records it asked for.
    const isResumed = await resumeWaitingJob(jobId, "Operator confirmed the TXT records");
    if (!isResumed) throw new AppError("conflict", "This job was already resumed (pressed twice, or in another window).");
    await context.audit({ target: certificate.name, detail: { jobId } });
    return { certificateId: certificate.id, certificateName: certificate.name };
  },
);

/** After "Stop waiting" on a renewal, the scheduler asks again this much later. */
const STOPPED_RENEWAL_RETRY_MS = 24 * 3600 * 1000;

/**
 * "Stop waiting": the operator will not create the records now. The job ends as failed (nothing
 * more is sent to the CA; the pending order simply expires there), the certificate keeps its
 * current version, and automatic renewal asks again in a day.
 */
export const stopManualDnsWait = defineCommand(
  { name: "certificate.dns-wait-stopped", permission: "write", does: "stop jobs waiting for DNS records", input: manualDnsJobInput },
  async ({ certificateId, jobId }, context): Promise<ManualDnsJobResult> => {
    const certificate = await findCertificateOfJob(certificateId, jobId);
    const now = new Date();
    const message = "Stopped by the operator while waiting for the DNS records.";
    const { count } = await db.job.updateMany({ where: { id: jobId, status: "waiting" }, data: { status: "failed", finishedAt: now, error: message } });
    if (count !== 1) throw new AppError("conflict", "This job is not waiting any more; the page shows what it is doing now.");
    await logJobEvent(jobId, "done", message, { level: "warn" });
    publishJobStatus(jobId, "failed");
    const { currentVersionId } = await db.certificate.findUniqueOrThrow({ where: { id: certificate.id }, select: { currentVersionId: true } });
    await db.certificate.update({
      where: { id: certificate.id },
      data: currentVersionId
        ? { status: "valid", retryNotBefore: new Date(now.getTime() + STOPPED_RENEWAL_RETRY_MS) }
        : { status: "failed", lastError: `${message} Press Try again to start over.`, lastErrorAt: now },
    });
    await context.audit({ target: certificate.name, detail: { jobId } });
    return { certificateId: certificate.id, certificateName: certificate.name };
  },
);
