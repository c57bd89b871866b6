import { db } from "@/lib/data/client";
import { getEffectiveRenewalSettings } from "@/lib/domain/deploy/effective-settings";
import { listVersionsWaitingForWindow } from "@/lib/domain/deploy/deploy-version";
import { isInsideWindow, nextWindowStart } from "@/lib/domain/deploy/maintenance-window";
import { enqueueCertificateJob } from "@/lib/data/queue/queue";

/**
 * A renewal whose pre- or post-hook restarts services (certbot users' "service nginx stop") runs
 * inside the maintenance window, unless the certificate would expire before the window opens.
 * Renewals without such hooks may run whenever they are due; only their deploy hook waits.
 */
export async function isRenewalAllowedNow(certificateId: string, now: Date, timeZone: string): Promise<boolean> {
  const settings = await getEffectiveRenewalSettings(certificateId);
  if (settings.preHook === "" && settings.postHook === "") return true;
  // An unreadable stored window does not hold renewals back: expiring is worse than a restart
  // outside the window (the deploy step reports the broken window).
  const window = settings.maintenanceWindow;
  if (!window || isInsideWindow(window, now, timeZone)) return true;
  const certificate = await db.certificate.findUnique({ where: { id: certificateId }, select: { notAfter: true } });
  return !certificate?.notAfter || certificate.notAfter <= nextWindowStart(window, now, timeZone);
}

const DEPLOY_REASONS = {
  "window-open": "the maintenance window is open",
  "expires-before-window": "the served certificate would expire before the window opens",
  "no-window": "the maintenance window was removed",
  "no-deploy-hook": "the deploy hook (and every deploy target) was removed",
} as const;

/** Queues a deploy run (of what is not deployed yet) for every issued version whose deploy has been waiting for its window. */
export async function enqueueDeploysInWindow(now: Date): Promise<string[]> {
  const queued: string[] = [];
  for (const waiting of await listVersionsWaitingForWindow(now)) {
    const { jobId, isNew } = await enqueueCertificateJob(waiting.certificateId, "deploy", {
      reason: DEPLOY_REASONS[waiting.reason],
      jobOptions: { unfinishedOnly: true },
    });
    if (isNew) queued.push(jobId);
  }
  return queued;
}
