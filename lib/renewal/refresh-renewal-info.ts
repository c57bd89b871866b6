import { ariCertIdOf, fetchRenewalInfo } from "@/lib/acme/ari";
import { fetchDirectory, type AcmeDirectory } from "@/lib/acme/directory";
import { db } from "@/lib/db/client";
import { nextAriCheck, planRenewal } from "@/lib/renewal/renewal-timing";

const BATCH_SIZE = 100;
const NO_ARI_RECHECK_MS = 12 * 3600 * 1000;
const ERROR_RECHECK_MS = 3600 * 1000;

/**
 * Polls the CA's renewalInfo for certificates whose check is due, and re-plans their renewal
 * inside the suggested window. Directories without ARI are re-read twice a day, in case the CA
 * adds it. Returns how many certificates were checked.
 */
export async function refreshRenewalInfo(now = new Date()): Promise<number> {
  // Never checked first, then the longest overdue. Two range reads of the ariNextCheckAt index:
  // one query with "null OR due" would walk the whole index on every tick.
  const select = {
    id: true,
    renewAfter: true,
    renewReason: true,
    renewBeforeDays: true,
    account: { select: { id: true, directoryUrl: true, caBundlePem: true } },
    currentVersion: { select: { id: true, chainPem: true, ariCertId: true, notBefore: true, notAfter: true } },
  } as const;
  const neverChecked = await db.certificate.findMany({ where: { currentVersionId: { not: null }, ariNextCheckAt: null }, take: BATCH_SIZE, select });
  const overdue =
    neverChecked.length < BATCH_SIZE
      ? await db.certificate.findMany({
          where: { currentVersionId: { not: null }, ariNextCheckAt: { lte: now } },
          orderBy: { ariNextCheckAt: "asc" },
          take: BATCH_SIZE - neverChecked.length,
          select,
        })
      : [];
  const due = [...neverChecked, ...overdue];
  const directories = new Map<string, Promise<AcmeDirectory | null>>();
  for (const certificate of due) {
    const version = certificate.currentVersion;
    if (!version) continue;
    const { account } = certificate;
    if (!directories.has(account.id)) {
      directories.set(account.id, fetchDirectory(account.directoryUrl, account.caBundlePem).catch(() => null));
    }
    const directory = await directories.get(account.id)!;
    if (!directory) {
      await db.certificate.update({ where: { id: certificate.id }, data: { ariNextCheckAt: new Date(now.getTime() + ERROR_RECHECK_MS) } });
      continue;
    }
    const certId = version.ariCertId ?? ariCertIdOf(version.chainPem);
    if (!directory.renewalInfo || !certId) {
      await db.certificate.update({ where: { id: certificate.id }, data: { ariNextCheckAt: new Date(now.getTime() + NO_ARI_RECHECK_MS) } });
      continue;
    }
    if (!version.ariCertId) await db.certificateVersion.update({ where: { id: version.id }, data: { ariCertId: certId } });
    try {
      const { info, retryAfterSeconds } = await fetchRenewalInfo(directory.renewalInfo, certId, account.caBundlePem, now);
      const plan = planRenewal({
        notBefore: version.notBefore,
        notAfter: version.notAfter,
        renewBeforeDays: certificate.renewBeforeDays,
        ariWindow: info ? { start: info.windowStart, end: info.windowEnd } : null,
        previousRenewAt: certificate.renewReason === "ari" ? certificate.renewAfter : null,
        now,
      });
      await db.certificate.update({
        where: { id: certificate.id },
        data: {
          ariWindowStart: info?.windowStart ?? null,
          ariWindowEnd: info?.windowEnd ?? null,
          ariExplanationUrl: info?.explanationUrl ?? null,
          ariNextCheckAt: nextAriCheck(now, retryAfterSeconds),
          renewAfter: plan.renewAt,
          renewReason: plan.reason,
        },
      });
    } catch (error) {
      console.warn(`[certdeck] renewalInfo for certificate ${certificate.id} failed: ${(error as Error).message}`);
      await db.certificate.update({ where: { id: certificate.id }, data: { ariNextCheckAt: new Date(now.getTime() + ERROR_RECHECK_MS) } });
    }
  }
  return due.length;
}
