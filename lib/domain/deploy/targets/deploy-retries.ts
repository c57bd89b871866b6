import { db } from "@/lib/data/client";
import { enqueueCertificateJob } from "@/lib/data/queue/queue";

/**
 * Queues a deploy run for the targets whose transient failure (an SSH host that did not answer …)
 * is due for another attempt: one job per certificate, for its current version only (a newer
 * version makes an older failed one moot). The run keeps to the maintenance window. A tick that
 * finds a job already working on the certificate leaves it; the next tick tries again.
 */
export async function enqueueDueDeployRetries(now: Date): Promise<string[]> {
  const due = await db.deployment.findMany({
    where: { status: "failed", nextAttemptAt: { lte: now }, version: { currentOf: { isNot: null } } },
    select: { targetId: true, target: { select: { name: true } }, version: { select: { certificateId: true } } },
    orderBy: { nextAttemptAt: "asc" },
  });
  const byCertificate = new Map<string, Array<{ id: string; name: string }>>();
  for (const row of due) {
    const targets = byCertificate.get(row.version.certificateId) ?? [];
    targets.push({ id: row.targetId, name: row.target.name });
    byCertificate.set(row.version.certificateId, targets);
  }
  const queued: string[] = [];
  for (const [certificateId, targets] of byCertificate) {
    const { jobId, isNew } = await enqueueCertificateJob(certificateId, "deploy", {
      reason: `trying ${targets.map((target) => target.name).join(", ")} again after a failure`,
      jobOptions: { targetIds: targets.map((target) => target.id), isRetry: true },
    });
    if (isNew) queued.push(jobId);
  }
  return queued;
}
