import { db } from "@/lib/data/client";
import { planRenewal } from "@/lib/domain/renewal/renewal-timing";

/**
 * Recomputes a certificate's renewal time after its timing settings change ("N days before
 * expiry" set or cleared), keeping a known ARI window.
 */
export async function replanRenewal(certificateId: string, now = new Date()): Promise<void> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: {
      renewBeforeDays: true,
      renewAfter: true,
      renewReason: true,
      source: true,
      ariWindowStart: true,
      ariWindowEnd: true,
      currentVersion: { select: { notBefore: true, notAfter: true } },
    },
  });
  // An uploaded certificate is never renewed here: nothing to plan.
  if (!certificate?.currentVersion || certificate.source !== "acme") return;
  const plan = planRenewal({
    notBefore: certificate.currentVersion.notBefore,
    notAfter: certificate.currentVersion.notAfter,
    renewBeforeDays: certificate.renewBeforeDays,
    ariWindow: certificate.ariWindowStart && certificate.ariWindowEnd ? { start: certificate.ariWindowStart, end: certificate.ariWindowEnd } : null,
    previousRenewAt: certificate.renewReason === "ari" ? certificate.renewAfter : null,
    now,
  });
  await db.certificate.update({ where: { id: certificateId }, data: { renewAfter: plan.renewAt, renewReason: plan.reason } });
}
