import { createAcmeClient } from "@/lib/acme/client";
import { fetchDirectory } from "@/lib/acme/directory";
import { createAppServedResponder, openStandaloneResponder } from "@/lib/acme/http-01";
import { orderCertificate, type OrderProgress } from "@/lib/acme/order-certificate";
import { toAcmeAppError } from "@/lib/acme/problems";
import { KEY_TYPE_IDS, type KeyType } from "@/lib/certs/key-types";
import { lineageDirectoryName, writeLineageVersion } from "@/lib/certs/lineage-files";
import { readCertificateFacts } from "@/lib/certs/x509";
import { db } from "@/lib/db/client";
import { getSetting } from "@/lib/db/settings";
import { certificatesDir, displayTimeZone } from "@/lib/env";
import { formatDateTime } from "@/lib/format/dates";
import { AppError } from "@/lib/errors";
import type { JobContext, JobHandler } from "@/lib/jobs/job-context";
import { decryptSecret, encryptSecret } from "@/lib/security/secret-box";
import { renewalWindowStart } from "@/lib/certificates/expiry";
import { parseStoredIdentifiers } from "@/lib/certificates/identifiers";

interface IssueJobState {
  orderUrl?: string;
  privateKeyEnc?: string;
  /** Set in the same transaction that stores the version: after it, only the files remain. */
  storedVersion?: number;
}

/** Issue and renew: order, answer HTTP-01, finalize with a fresh key, store, write the files. */
export const issueCertificateHandler: JobHandler = {
  async run(untypedContext) {
    const context = untypedContext as JobContext<IssueJobState>;
    const { job, log } = context;
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: job.certificateId },
      include: { account: { omit: { accountKeyEnc: false, eabHmacKeyEnc: false } } },
    });
    const { account } = certificate;
    const identifiers = parseStoredIdentifiers(certificate.identifiers);
    await db.certificate.update({ where: { id: certificate.id }, data: { status: "issuing" } });

    if (context.state.storedVersion === undefined) {
      if (account.status !== "valid" || !account.accountUrl) {
        throw new AppError("acme_problem", `The ACME account "${account.label}" is not registered (status: ${account.status}). Register it on the Accounts page first.`);
      }
      await fetchDirectory(account.directoryUrl, account.caBundlePem);
      await log("directory", `CA directory reachable: ${account.directoryUrl}`);
      const client = createAcmeClient({
        directoryUrl: account.directoryUrl,
        accountKeyPem: decryptSecret(account.accountKeyEnc),
        accountUrl: account.accountUrl,
        caBundlePem: account.caBundlePem,
      });
      const keyType = KEY_TYPE_IDS.includes(certificate.keyType as KeyType) ? (certificate.keyType as KeyType) : "ec-p256";
      const standalonePort = await getSetting("standalonePort");
      const issued = await orderCertificate(
        client,
        { identifiers, keyType },
        {
          orderUrl: context.state.orderUrl,
          privateKeyPem: context.state.privateKeyEnc ? decryptSecret(context.state.privateKeyEnc) : undefined,
        },
        {
          log,
          saveProgress: (progress: OrderProgress) =>
            context.saveState({
              orderUrl: progress.orderUrl,
              privateKeyEnc: progress.privateKeyPem ? encryptSecret(progress.privateKeyPem) : undefined,
            }),
          openResponder: () =>
            certificate.challengeMethod === "http-01-standalone"
              ? openStandaloneResponder(standalonePort)
              : Promise.resolve(createAppServedResponder(job.id)),
        },
      ).catch((error: unknown) => {
        throw toAcmeAppError(error, new URL(account.directoryUrl).host);
      });
      const version = await storeVersion(certificate.id, job.id, issued.chainPem, issued.privateKeyPem);
      context.state = { storedVersion: version };
      const facts = readCertificateFacts(issued.chainPem);
      await log("store", `Stored version ${version}: serial ${facts.serial}, valid until ${formatDateTime(facts.notAfter, displayTimeZone)}`);
    } else {
      await log("store", `Version ${context.state.storedVersion} was already stored before the restart`);
    }

    const version = await db.certificateVersion.findUniqueOrThrow({
      where: { certificateId_version: { certificateId: certificate.id, version: context.state.storedVersion! } },
      omit: { privateKeyEnc: false },
    });
    try {
      await writeLineageVersion(certificatesDir, certificate.name, {
        version: version.version,
        chainPem: version.chainPem,
        privateKeyPem: decryptSecret(version.privateKeyEnc),
      });
    } catch (error) {
      throw new AppError("filesystem", `The certificate was issued but its files could not be written under ${certificatesDir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    await log("files", `Files written: live/${lineageDirectoryName(certificate.name)}/ now points at version ${version.version}`);
    await db.certificate.update({ where: { id: certificate.id }, data: { status: "valid", lastError: null, lastErrorAt: null } });
    return `Certificate version ${version.version} is live, valid until ${formatDateTime(version.notAfter, displayTimeZone)}`;
  },

  async onFailure(job, userMessage) {
    if (!job.certificateId) return;
    await db.certificate.update({
      where: { id: job.certificateId },
      data: { status: "failed", lastError: userMessage, lastErrorAt: new Date() },
    });
  },
};

/**
 * Stores the new version, makes it current and records in the job's state that it was stored, in
 * one transaction: a crash either loses nothing (the job resumes with the saved order and key) or
 * has stored everything (the job only writes the files).
 */
async function storeVersion(certificateId: string, jobId: string, chainPem: string, privateKeyPem: string): Promise<number> {
  const facts = readCertificateFacts(chainPem);
  return db.$transaction(async (tx) => {
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
      },
      select: { id: true },
    });
    await tx.certificate.update({
      where: { id: certificateId },
      data: {
        currentVersionId: created.id,
        notAfter: facts.notAfter,
        renewAfter: renewalWindowStart(facts.notBefore, facts.notAfter),
      },
    });
    await tx.job.update({ where: { id: jobId }, data: { state: JSON.stringify({ storedVersion: version }) } });
    return version;
  });
}
