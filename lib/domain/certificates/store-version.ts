import type { Prisma } from "@/lib/generated/prisma/client";
import { ariCertIdOf } from "@/lib/protocol/acme/ari";
import { planRenewal } from "@/lib/domain/renewal/renewal-timing";
import { readCertificateFacts, type CertificateFacts } from "@/lib/protocol/x509/x509";
import { encryptSecret } from "@/lib/data/secret-box";

export interface StoredVersion {
  versionId: string;
  version: number;
  facts: CertificateFacts;
}

/**
 * Stores a certificate's next version (the key encrypted) and makes it the current one, with the
 * certificate's notAfter and renewAfter copied from it. Runs inside the caller's transaction, so
 * the caller can record more in the same commit (the issue job marks its state "stored"; an
 * import creates the certificate first).
 */
export async function storeCertificateVersion(
  tx: Prisma.TransactionClient,
  certificateId: string,
  chainPem: string,
  privateKeyPem: string,
  options: {
    /** "pending" until the deploy step has run; an imported version is what is served already. */
    deployStatus?: "pending" | "deployed";
    now?: Date;
    /** What the renewal plan needs of the certificate, when the caller read it already (an issue job). */
    certificate?: { renewBeforeDays: number | null; source: string };
  } = {},
): Promise<StoredVersion> {
  const facts = readCertificateFacts(chainPem);
  const now = options.now ?? new Date();
  const latest = await tx.certificateVersion.findFirst({
    where: { certificateId },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const version = (latest?.version ?? 0) + 1;
  const created = await tx.certificateVersion.create({
    data: {
      certificateId,
      version,
      serial: facts.serial,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      issuer: facts.issuer,
      fingerprintSha256: facts.fingerprintSha256,
      chainPem,
      privateKeyEnc: encryptSecret(privateKeyPem),
      ariCertId: ariCertIdOf(chainPem),
      deployStatus: options.deployStatus ?? "pending",
      deployedAt: options.deployStatus === "deployed" ? now : null,
    },
    select: { id: true },
  });
  const { renewBeforeDays, source } =
    options.certificate ?? (await tx.certificate.findUniqueOrThrow({ where: { id: certificateId }, select: { renewBeforeDays: true, source: true } }));
  // An uploaded certificate is never renewed here: no renewal time (the scheduler skips it).
  const plan = source === "acme" ? planRenewal({ notBefore: facts.notBefore, notAfter: facts.notAfter, renewBeforeDays, now }) : null;
  await tx.certificate.update({
    where: { id: certificateId },
    data: {
      currentVersionId: created.id,
      notAfter: facts.notAfter,
      renewAfter: plan?.renewAt ?? null,
      renewReason: plan?.reason ?? null,
      // The new certificate's ARI window is asked for on the scheduler's next tick.
      ariWindowStart: null,
      ariWindowEnd: null,
      ariExplanationUrl: null,
      ariNextCheckAt: null,
    },
  });
  return { versionId: created.id, version, facts };
}
