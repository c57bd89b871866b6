import { ACTIVE_JOB_STATUSES } from "@/lib/data/queue/job-types";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { enqueueCertificateJob } from "@/lib/data/queue/queue";

export interface EnqueueDueRenewalsOptions {
  now: Date;
  concurrency: number;
  isAllowedNow?: (certificateId: string) => Promise<boolean>;
}

/** Calls in this process run one after the other, so two of them never fill the same free slot. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * Queues a renew job for every certificate whose renewal time has come, at most `concurrency`
 * renewals queued or running at once, soonest first. Certificates backing off after a failure
 * wait for `retryNotBefore`. Racing ticks cannot queue twice: the queue allows one active job
 * per certificate. `isAllowedNow` lets the caller hold back certificates waiting for a window.
 */
export function enqueueDueRenewals(options: EnqueueDueRenewalsOptions): Promise<string[]> {
  const run = previous.then(() => enqueueInFreeSlots(options));
  previous = run.catch(() => undefined);
  return run;
}

async function enqueueInFreeSlots(options: EnqueueDueRenewalsOptions): Promise<string[]> {
  const { now, concurrency } = options;
  const active = await db.job.count({ where: { type: "renew", status: { in: ["queued", "running"] } } });
  let slots = concurrency - active;
  if (slots <= 0) return [];
  const due = await db.certificate.findMany({
    where: {
      currentVersionId: { not: null },
      renewAfter: { lte: now },
      // Uploaded certificates have no renewAfter; this says it where the renewals are chosen.
      source: "acme",
      OR: [{ retryNotBefore: null }, { retryNotBefore: { lte: now } }],
      jobs: { none: { status: { in: ACTIVE_JOB_STATUSES } } },
    },
    orderBy: { renewAfter: "asc" },
    take: slots * 4,
    select: { id: true, name: true },
  });
  const queued: string[] = [];
  for (const { id, name } of due) {
    if (slots <= 0) break;
    if (options.isAllowedNow && !(await options.isAllowedNow(id))) continue;
    const { jobId, isNew } = await enqueueCertificateJob(id, "renew", { reason: "the scheduler found it due" });
    if (isNew) {
      queued.push(jobId);
      await recordAuditEvent({ actor: "system", action: "certificate.renew", target: name, detail: { reason: "due" } });
      slots -= 1;
    }
  }
  return queued;
}
