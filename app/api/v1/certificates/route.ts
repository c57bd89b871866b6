import { ApiError } from "@/lib/api/api-error";
import { apiJson, apiRoute } from "@/lib/api/api-route";
import { toApiFieldErrors, toCreateCertificateForm } from "@/lib/api/create-certificate-input";
import { listCertificateResources } from "@/lib/api/list-certificates";
import { findCertificateResource, findJobResource } from "@/lib/api/resources";
import { auditAddressOf } from "@/lib/api/request-address";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createCertificate } from "@/lib/certificates/create-certificate";

export const GET = apiRoute("listCertificates", async ({ query }) => apiJson(await listCertificateResources(query)));

/** The Add certificate form as JSON: same validation (createCertificate), same audit entry. */
export const POST = apiRoute("createCertificate", async ({ request, caller, body }) => {
  const result = await createCertificate(toCreateCertificateForm(body));
  if (!result.ok) {
    const fields = toApiFieldErrors(result.fieldErrors, body);
    throw new ApiError("validation_failed", result.formError ?? `Fix these fields: ${Object.keys(fields).join(", ")}.`, fields);
  }
  const [certificate, job] = await Promise.all([findCertificateResource(result.certificateId), findJobResource(result.jobId)]);
  if (!certificate || !job) throw new Error(`certificate ${result.certificateId} or job ${result.jobId} vanished right after creation`);
  await recordAuditEvent({
    actor: caller.actor,
    action: "certificate.add",
    target: certificate.name,
    detail: { names: certificate.identifiers, method: certificate.challengeMethod },
    ip: auditAddressOf(request),
  });
  return apiJson({ certificate, job }, 201, { location: `/api/v1/certificates/${certificate.id}` });
});
