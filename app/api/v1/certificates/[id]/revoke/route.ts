import { ApiError } from "@/lib/api/api-error";
import { apiRoute, notFound } from "@/lib/api/api-route";
import { queueCertificateJobResponse } from "@/lib/api/queue-certificate-job";
import { db } from "@/lib/db/client";

/** The dashboard's Revoke: the job asks the CA with the account key and the given reason. */
export const POST = apiRoute("revokeCertificate", async ({ request, caller, id, body }) => {
  const certificate = await db.certificate.findUnique({
    where: { id },
    select: { id: true, name: true, currentVersion: { select: { version: true, revokedAt: true } } },
  });
  if (!certificate) throw notFound("certificate", id);
  if (!certificate.currentVersion) throw new ApiError("conflict", `${certificate.name} has no issued version to revoke.`);
  if (certificate.currentVersion.revokedAt) throw new ApiError("conflict", `Version ${certificate.currentVersion.version} of ${certificate.name} is already revoked. Renew to get a new certificate.`);
  return queueCertificateJobResponse({
    request,
    caller,
    certificate,
    type: "revoke",
    reason: `reason: ${body.reason}`,
    jobOptions: { revocationReason: body.reason },
    auditAction: "certificate.revoke",
    auditDetail: { reason: body.reason, version: certificate.currentVersion.version },
  });
});
