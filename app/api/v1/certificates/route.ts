import { createCertificate } from "@/lib/domain/certificates/create-certificate";
import { findCertificateRecord, listCertificateRecords } from "@/lib/domain/certificates/queries";
import { findJobRecord } from "@/lib/domain/jobs/queries";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { toCertificateResource, toJobResource } from "@/lib/web/api/resources";

export const GET = apiRoute("listCertificates", async ({ query }) => {
  const { records, ...page } = await listCertificateRecords(query);
  return apiJson({ certificates: records.map(toCertificateResource), ...page });
});

/** The dashboard's Add certificate: one command, one schema (the body is its input), one audit entry. */
export const POST = apiRoute("createCertificate", async ({ actor, body }) => {
  const created = await createCertificate(actor, body);
  const [certificate, job] = await Promise.all([findCertificateRecord(created.certificateId), findJobRecord(created.jobId)]);
  if (!certificate || !job) throw new Error(`certificate ${created.certificateId} or job ${created.jobId} vanished right after creation`);
  return apiJson({ certificate: toCertificateResource(certificate), job: toJobResource(job) }, 201, { location: `/api/v1/certificates/${certificate.id}` });
});
