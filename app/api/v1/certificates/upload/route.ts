import { findCertificateRecord } from "@/lib/domain/certificates/queries";
import { uploadCertificate } from "@/lib/domain/certificates/upload-certificate";
import { findJobRecord } from "@/lib/domain/jobs/queries";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { toCertificateResource, toJobResource } from "@/lib/web/api/resources";

/** The dashboard's Upload a certificate: one command, one schema (the body is its input), one audit entry. */
export const POST = apiRoute("uploadCertificate", async ({ actor, body }) => {
  const uploaded = await uploadCertificate(actor, body);
  const [certificate, job] = await Promise.all([findCertificateRecord(uploaded.certificateId), findJobRecord(uploaded.jobId)]);
  if (!certificate || !job) throw new Error(`certificate ${uploaded.certificateId} or job ${uploaded.jobId} vanished right after the upload`);
  return apiJson({ certificate: toCertificateResource(certificate), job: toJobResource(job), notices: uploaded.notices }, 201, {
    location: `/api/v1/certificates/${certificate.id}`,
  });
});
