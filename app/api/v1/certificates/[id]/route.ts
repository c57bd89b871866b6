import { deleteCertificate } from "@/lib/domain/certificates/delete-certificate";
import { findCertificateRecord } from "@/lib/domain/certificates/queries";
import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { toCertificateResource } from "@/lib/web/api/resources";

export const GET = apiRoute("getCertificate", async ({ id }) => {
  const certificate = await findCertificateRecord(id);
  if (!certificate) throw notFound("certificate", id);
  return apiJson(toCertificateResource(certificate));
});

/** As the dashboard's Delete: files moved aside, refused while a job works on the certificate. */
export const DELETE = apiRoute("deleteCertificate", async ({ actor, id }) => {
  const deleted = await deleteCertificate(actor, { id });
  return apiJson({ id, name: deleted.name, filesMovedTo: deleted.movedTo });
});
