import { db } from "@/lib/data/client";
import { RENEWAL_TIMING_FIELDS, replanCertificate } from "@/lib/domain/renewal/renewal-timing";

/**
 * Recomputes a certificate's renewal time after its timing settings change ("N days before
 * expiry" set or cleared), keeping a known ARI window.
 */
export async function replanRenewal(certificateId: string, now = new Date()): Promise<void> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: {
      ...RENEWAL_TIMING_FIELDS,
      source: true,
      ariWindowStart: true,
      ariWindowEnd: true,
      currentVersion: { select: { notBefore: true, notAfter: true } },
    },
  });
  // An uploaded certificate is never renewed here: nothing to plan.
  if (!certificate?.currentVersion || certificate.source !== "acme") return;
  const { ariWindowStart: start, ariWindowEnd: end } = certificate;
  const plan = replanCertificate(certificate, certificate.currentVersion, start && end ? { start, end } : null, now);
  await db.certificate.update({ where: { id: certificateId }, data: { renewAfter: plan.renewAt, renewReason: plan.reason } });
}
