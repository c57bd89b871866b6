import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { certificateOrNotFound, queueCertificateJob } from "@/lib/domain/certificates/certificate-job";
import { isUploaded, uploadedConflict } from "@/lib/domain/certificates/certificate-source";
import { defineCommand } from "@/lib/domain/command/define-command";
import { REVOCATION_REASON_IDS } from "@/lib/protocol/acme/revocation-reasons";

export const revocationReasonSchema = z.enum(REVOCATION_REASON_IDS, { error: "Choose why the certificate is revoked" });

const revokeInput = z.object({
  id: idSchema,
  reason: revocationReasonSchema,
  /** Delete the certificate once the CA confirmed the revocation (the Delete dialog's option). */
  thenDelete: z.boolean().default(false),
});

/**
 * Queues the revocation of the current version at the CA (the job asks with the account key and
 * the reason). With `thenDelete`, the job deletes the certificate only after the CA confirmed.
 */
export const revokeCertificate = defineCommand(
  { name: "certificate.revoke", permission: "write", does: "revoke certificates", input: revokeInput },
  async ({ id, reason, thenDelete }, context) => {
    const certificate = await certificateOrNotFound(id, { id: true, name: true, source: true, currentVersion: { select: { version: true, revokedAt: true } } });
    // CertDeck holds no ACME account that could ask the issuing CA to revoke it.
    if (isUploaded(certificate)) throw uploadedConflict(certificate.name, "revoke");
    const version = certificate.currentVersion;
    if (!version) {
      throw new AppError(
        "conflict",
        thenDelete ? "There is no issued version to revoke: delete it without revoking." : `${certificate.name} has no issued version to revoke.`,
      );
    }
    if (version.revokedAt) {
      throw new AppError(
        "conflict",
        thenDelete
          ? "The current version is already revoked: delete it without revoking."
          : `Version ${version.version} of ${certificate.name} is already revoked. Renew to get a new certificate.`,
      );
    }
    return queueCertificateJob(
      context,
      { id: certificate.id, name: certificate.name },
      {
        type: "revoke",
        reason: `reason: ${reason}${thenDelete ? ", then delete" : ""}`,
        options: { revocationReason: reason, ...(thenDelete ? { deleteAfterRevoke: { actor: context.actor.name, ip: context.actor.address } } : {}) },
        audit: { detail: { reason, version: version.version, ...(thenDelete ? { then: "delete" } : {}) } },
      },
    );
  },
);
