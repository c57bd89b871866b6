import { ApiError } from "@/lib/api/api-error";
import { apiJson, apiRoute, notFound } from "@/lib/api/api-route";
import { findCertificateResource } from "@/lib/api/resources";
import { auditAddressOf } from "@/lib/api/request-address";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { deleteCertificate } from "@/lib/certificates/delete-certificate";
import { db } from "@/lib/db/client";

export const GET = apiRoute("getCertificate", async ({ id }) => {
  const certificate = await findCertificateResource(id);
  if (!certificate) throw notFound("certificate", id);
  return apiJson(certificate);
});

/** As the dashboard's Delete: files moved aside, refused while a job works on the certificate. */
export const DELETE = apiRoute("deleteCertificate", async ({ request, caller, id }) => {
  const certificate = await db.certificate.findUnique({ where: { id }, select: { name: true } });
  if (!certificate) throw notFound("certificate", id);
  const result = await deleteCertificate(id);
  if (!result.ok) throw new ApiError("conflict", result.error);
  await recordAuditEvent({
    actor: caller.actor,
    action: "certificate.delete",
    target: certificate.name,
    detail: result.movedTo ? { filesMovedTo: result.movedTo } : undefined,
    ip: auditAddressOf(request),
  });
  return apiJson({ id, name: certificate.name, filesMovedTo: result.movedTo });
});
