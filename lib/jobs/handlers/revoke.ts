import { z } from "zod";
import { ACCOUNT_SECRETS, clientForAccount } from "@/lib/domain/accounts/account-client";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { lastProblemOf } from "@/lib/protocol/acme/client";
import { fetchDirectory } from "@/lib/protocol/acme/directory";
import { problemShortType, toAcmeAppError } from "@/lib/protocol/acme/problems";
import { REVOCATION_REASONS, type RevocationReason } from "@/lib/protocol/acme/revocation-reasons";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { removeCertificate } from "@/lib/domain/certificates/delete-certificate";
import { acmeAccountOf } from "@/lib/domain/certificates/certificate-source";
import { defineJob, type JobLog, type RunningJob } from "@/lib/jobs/handlers/define-job";
import { JOB_OPTION_SCHEMAS } from "@/lib/data/queue/job-types";

/**
 * Revokes the certificate's current version at the CA with the account key and the chosen
 * reason (RFC 8555 section 7.6). The version is marked revoked; files stay where they are (a
 * revoked certificate is refused by browsers, so the operator renews or deletes next).
 */
export const revokeJob = defineJob({
  type: "revoke",
  options: JOB_OPTION_SCHEMAS.revoke,
  state: z.object({}),

  async run({ job, options, log }) {
    // Deleting unlinks the job from its certificate: a job resumed after that step has nothing left to do.
    if (!job.certificateId && options.deleteAfterRevoke) return "The certificate was revoked and deleted";
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    // The options' schema refuses any other reason ("No valid revocation reason was given.").
    const reason = options.revocationReason;
    const finish = async (summary: string) => (options.deleteAfterRevoke ? deleteAfterRevocation(job, options.deleteAfterRevoke, reason, log) : summary);
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: job.certificateId },
      include: { account: { omit: ACCOUNT_SECRETS }, currentVersion: { select: { id: true, version: true, chainPem: true, revokedAt: true } } },
    });
    const version = certificate.currentVersion;
    if (!version) throw new AppError("not_found", "This certificate has no issued version to revoke.");
    if (version.revokedAt) {
      await log("revoke", `Version ${version.version} was already revoked`);
      return finish(`Version ${version.version} is revoked`);
    }
    const account = acmeAccountOf(certificate, "revoke");
    await fetchDirectory(account.directoryUrl, account.caBundlePem, { network: accountNetwork(account) });
    const client = clientForAccount(account);
    const { code, label } = REVOCATION_REASONS[reason];
    await log("revoke", `Asking the CA to revoke version ${version.version}: ${label}`);
    await client.revokeCertificate(version.chainPem, { reason: code }).catch(async (error: unknown) => {
      const problem = lastProblemOf(client);
      const type = problemShortType(problem?.problem);
      // Revoked before, by another client or an earlier attempt: the goal is reached.
      if (type === "alreadyRevoked") return log("revoke", `The CA says version ${version.version} was already revoked`);
      if (type === "unauthorized") {
        throw new AppError(
          "acme_problem",
          `The CA refused to revoke version ${version.version}: the account "${account.label}" did not order it and holds no valid authorization for its names. The CA said: "${problem?.problem.detail ?? ""}". Revoke it with the ACME account that ordered it.`,
          { cause: error, reason: "unauthorized-account" },
        );
      }
      throw toAcmeAppError(error, new URL(account.directoryUrl).host, problem);
    });
    await db.certificateVersion.update({ where: { id: version.id }, data: { revokedAt: new Date(), revocationReason: reason } });
    return finish(`Version ${version.version} revoked (${reason}). Renew to get a new certificate; nginx keeps serving the revoked one until then.`);
  },
  async onFailure({ job, options }, { userMessage, reason }) {
    // The job log says why; the certificate is unchanged. When it was to be deleted afterwards,
    // say on the certificate (list and detail page) that it was not.
    if (!job.certificateId || !options?.deleteAfterRevoke) return;
    await db.certificate.updateMany({
      where: { id: job.certificateId },
      data: { lastError: `Not deleted: ${userMessage}`, lastErrorCode: reason ?? null, lastErrorAt: new Date() },
    });
  },
});

/**
 * "Delete with revocation first": the CA has confirmed the revocation, so the certificate goes
 * exactly as the Delete button removes it (files moved to deleted/, versions and keys dropped),
 * recorded in the audit log under the user who asked.
 */
async function deleteAfterRevocation(
  job: RunningJob,
  requestedBy: { actor: string; ip: string | null },
  reason: RevocationReason,
  log: JobLog,
): Promise<string> {
  const deleted = await removeCertificate(job.certificateId!, { runningJobId: job.id }).catch((error: unknown) => {
    throw error instanceof AppError ? new AppError("conflict", `Revoked, but not deleted: ${error.userMessage}`, { cause: error }) : error;
  });
  await recordAuditEvent({
    actor: requestedBy.actor,
    action: "certificate.delete",
    target: deleted.name,
    detail: { afterRevocation: reason, ...(deleted.movedTo ? { filesMovedTo: deleted.movedTo } : {}) },
    ip: requestedBy.ip,
  });
  await log("delete", deleted.movedTo ? `Certificate deleted; its files moved to ${deleted.movedTo}` : "Certificate deleted (it had no files)");
  return `Revoked and deleted ${deleted.name}`;
}
