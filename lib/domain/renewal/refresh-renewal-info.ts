import { ariCertIdOf, fetchRenewalInfo } from "@/lib/protocol/acme/ari";
import { fetchDirectory, type AcmeDirectory } from "@/lib/protocol/acme/directory";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { db } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { nextAriCheck, RENEWAL_TIMING_FIELDS, replanCertificate } from "@/lib/domain/renewal/renewal-timing";

const BATCH_SIZE = 100;
const NO_ARI_RECHECK_MS = 12 * 3600 * 1000;
const ERROR_RECHECK_MS = 3600 * 1000;

const DUE_SELECT = {
  id: true,
  ...RENEWAL_TIMING_FIELDS,
  account: { select: { id: true, directoryUrl: true, caBundlePem: true, privateNetwork: true } },
  currentVersion: { select: { id: true, ariCertId: true, notBefore: true, notAfter: true } },
} as const;

/**
 * Polls the CA's renewalInfo for certificates whose check is due, and re-plans their renewal
 * inside the suggested window. Directories without ARI are re-read twice a day, in case the CA
 * adds it. Returns how many certificates were checked.
 */
export async function refreshRenewalInfo(now = new Date()): Promise<number> {
  // Never checked first, then the longest overdue. Two range reads of the ariNextCheckAt index:
  // one query with "null OR due" would walk the whole index on every tick. Uploaded certificates
  // (no ACME account, never renewed here) are never asked about; their ariNextCheckAt stays null.
  const neverChecked = await db.certificate.findMany({
    where: { currentVersionId: { not: null }, ariNextCheckAt: null, source: "acme" },
    take: BATCH_SIZE,
    select: DUE_SELECT,
  });
  const overdue =
    neverChecked.length < BATCH_SIZE
      ? await db.certificate.findMany({
          where: { currentVersionId: { not: null }, ariNextCheckAt: { lte: now }, source: "acme" },
          orderBy: { ariNextCheckAt: "asc" },
          take: BATCH_SIZE - neverChecked.length,
          select: DUE_SELECT,
        })
      : [];
  const due = [...neverChecked, ...overdue];

  const byAccount = new Map<string, { account: DueAccount; certificates: DueCertificate[] }>();
  for (const certificate of due) {
    if (!certificate.account) continue;
    const entry = byAccount.get(certificate.account.id) ?? { account: certificate.account, certificates: [] };
    entry.certificates.push(certificate);
    byAccount.set(certificate.account.id, entry);
  }
  for (const { account, certificates } of byAccount.values()) {
    const directory = await fetchDirectory(account.directoryUrl, account.caBundlePem, { network: accountNetwork(account) }).catch(() => null);
    // The whole account's batch waits alike when its CA is unreachable or offers no ARI.
    if (!directory?.renewalInfo) {
      const recheckMs = directory ? NO_ARI_RECHECK_MS : ERROR_RECHECK_MS;
      await db.certificate.updateMany({
        where: { id: { in: certificates.map((certificate) => certificate.id) } },
        data: { ariNextCheckAt: new Date(now.getTime() + recheckMs) },
      });
      continue;
    }
    for (const certificate of certificates) await checkRenewalInfo(certificate, account, directory as AcmeDirectory & { renewalInfo: string }, now);
  }
  return due.length;
}

type DueCertificate = Prisma.CertificateGetPayload<{ select: typeof DUE_SELECT }>;
type DueAccount = NonNullable<DueCertificate["account"]>;

async function checkRenewalInfo(
  certificate: DueCertificate,
  account: DueAccount,
  directory: AcmeDirectory & { renewalInfo: string },
  now: Date,
): Promise<void> {
  const version = certificate.currentVersion;
  if (!version) return;
  let certId = version.ariCertId;
  if (!certId) {
    const { chainPem } = await db.certificateVersion.findUniqueOrThrow({ where: { id: version.id }, select: { chainPem: true } });
    certId = ariCertIdOf(chainPem);
    if (certId) await db.certificateVersion.update({ where: { id: version.id }, data: { ariCertId: certId } });
  }
  if (!certId) {
    await db.certificate.update({ where: { id: certificate.id }, data: { ariNextCheckAt: new Date(now.getTime() + NO_ARI_RECHECK_MS) } });
    return;
  }
  try {
    const { info, retryAfterSeconds } = await fetchRenewalInfo(directory.renewalInfo, certId, account.caBundlePem, now, accountNetwork(account));
    const plan = replanCertificate(certificate, version, info ? { start: info.windowStart, end: info.windowEnd } : null, now);
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
