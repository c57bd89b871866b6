import { db } from "@/lib/data/client";
import { readManualDnsState } from "@/lib/domain/dns-providers/manual-state";
import { logJobEvent } from "@/lib/data/queue/job-log";
import { resumeWaitingJob } from "@/lib/data/queue/queue";

export type ConfirmManualDnsResult = { ok: true; certificateId: string | null; certificateName: string | null } | { ok: false; error: string };

/**
 * The operator's "Done — records created": the waiting job runs again, checks that the records
 * are visible at every authoritative nameserver and, when they are, asks the CA to validate.
 * Shared by the button's server action and the tests.
 */
export async function confirmManualDnsRecords(jobId: string, now = new Date()): Promise<ConfirmManualDnsResult> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true, certificate: { select: { id: true, name: true } } } });
  if (!job) return { ok: false, error: "That job does not exist any more." };
  const saved = await readManualDnsState(jobId);
  if (job.status !== "waiting" || !saved.manualDnsRecords) {
    return { ok: false, error: "This job is not waiting for DNS records any more; the page shows what it is doing now." };
  }
  // The job's responder sees the resume on the job row and checks the records it asked for.
  const isResumed = await resumeWaitingJob(jobId, "Operator confirmed the TXT records", now);
  if (!isResumed) return { ok: false, error: "This job was already resumed (pressed twice, or in another window)." };
  return { ok: true, certificateId: job.certificate?.id ?? null, certificateName: job.certificate?.name ?? null };
}

/** After "Stop waiting" on a renewal, the scheduler asks again this much later. */
const STOPPED_RENEWAL_RETRY_MS = 24 * 3600 * 1000;

/**
 * "Stop waiting": the operator will not create the records now. The job ends as failed (nothing
 * more is sent to the CA; the pending order simply expires there), the certificate keeps its
 * current version, and automatic renewal asks again in a day.
 */
export async function stopManualDnsWait(jobId: string, now = new Date()): Promise<ConfirmManualDnsResult> {
  const job = await db.job.findUnique({
    where: { id: jobId },
    select: { status: true, certificate: { select: { id: true, name: true, currentVersionId: true } } },
  });
  if (!job) return { ok: false, error: "That job does not exist any more." };
  const message = "Stopped by the operator while waiting for the DNS records.";
  const { count } = await db.job.updateMany({
    where: { id: jobId, status: "waiting" },
    data: { status: "failed", finishedAt: now, error: message },
  });
  if (count !== 1) return { ok: false, error: "This job is not waiting any more; the page shows what it is doing now." };
  await logJobEvent(jobId, "done", message, { level: "warn" });
  const certificate = job.certificate;
  if (certificate) {
    await db.certificate.update({
      where: { id: certificate.id },
      data: certificate.currentVersionId
        ? { status: "valid", retryNotBefore: new Date(now.getTime() + STOPPED_RENEWAL_RETRY_MS) }
        : { status: "failed", lastError: `${message} Press Try again to start over.`, lastErrorAt: now },
    });
  }
  return { ok: true, certificateId: certificate?.id ?? null, certificateName: certificate?.name ?? null };
}
