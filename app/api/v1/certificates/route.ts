import { AppError } from "@/lib/core/app-error";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { toApiFieldErrors, toCreateCertificateForm } from "@/lib/web/api/create-certificate-input";
import { listCertificateResources } from "@/lib/web/api/list-certificates";
import { findCertificateResource, findJobResource } from "@/lib/web/api/resources";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { createCertificate } from "@/lib/domain/certificates/create-certificate";

export const GET = apiRoute("listCertificates", async ({ query }) => apiJson(await listCertificateResources(query)));

/** The Add certificate form as JSON: same validation (createCertificate), same audit entry. */
export const POST = apiRoute("createCertificate", async ({ actor, body }) => {
  const result = await createCertificate(toCreateCertificateForm(body));
  if (!result.ok) {
    const fields = toApiFieldErrors(result.fieldErrors, body);
    throw new AppError("invalid_input", result.formError ?? `Fix these fields: ${Object.keys(fields).join(", ")}.`, { fieldErrors: fields });
  }
  const [certificate, job] = await Promise.all([findCertificateResource(result.certificateId), findJobResource(result.jobId)]);
  if (!certificate || !job) throw new Error(`certificate ${result.certificateId} or job ${result.jobId} vanished right after creation`);
  await recordAuditEvent({
    actor: actor.name,
    action: "certificate.add",
    target: certificate.name,
    detail: { names: certificate.identifiers, method: certificate.challengeMethod },
    ip: actor.address,
  });
  return apiJson({ certificate, job }, 201, { location: `/api/v1/certificates/${certificate.id}` });
});
