import { ACCOUNT_SECRETS, clientForAccount } from "@/lib/acme/account-client";
import { lastProblemOf } from "@/lib/acme/client";
import { fetchDirectory } from "@/lib/acme/directory";
import { toAcmeAppError } from "@/lib/acme/problems";
import { REVOCATION_REASONS, type RevocationReason } from "@/lib/acme/revocation-reasons";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { JobHandler } from "@/lib/jobs/job-context";
import { jobOptionsOf } from "@/lib/jobs/queue";

/**
 * Revokes the certificate's current version at the CA with the account key and the chosen
 * reason (RFC 8555 section 7.6). The version is marked revoked; files stay where they are (a
 * revoked certificate is refused by browsers, so the operator renews or deletes next).
 */
export const revokeHandler: JobHandler = {
  async run({ job, log }) {
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    const reason = jobOptionsOf(job).revocationReason;
    if (!reason || !(reason in REVOCATION_REASONS)) throw new AppError("invalid_input", "No valid revocation reason was given.");
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: job.certificateId },
      include: { account: { omit: ACCOUNT_SECRETS }, currentVersion: { select: { id: true, version: true, chainPem: true, revokedAt: true } } },
    });
    const version = certificate.currentVersion;
    if (!version) throw new AppError("not_found", "This certificate has no issued version to revoke.");
    if (version.revokedAt) {
      await log("revoke", `Version ${version.version} was already revoked`);
      return `Version ${version.version} is revoked`;
    }
    await fetchDirectory(certificate.account.directoryUrl, certificate.account.caBundlePem);
    const client = clientForAccount(certificate.account);
    const { code, label } = REVOCATION_REASONS[reason as RevocationReason];
    await log("revoke", `Asking the CA to revoke version ${version.version}: ${label}`);
    await client.revokeCertificate(version.chainPem, { reason: code }).catch((error: unknown) => {
      throw toAcmeAppError(error, new URL(certificate.account.directoryUrl).host, lastProblemOf(client));
    });
    await db.certificateVersion.update({ where: { id: version.id }, data: { revokedAt: new Date(), revocationReason: reason } });
    return `Version ${version.version} revoked (${reason}). Renew to get a new certificate; nginx keeps serving the revoked one until then.`;
  },
  async onFailure() {
    // The job log says why; the certificate is unchanged.
  },
};
