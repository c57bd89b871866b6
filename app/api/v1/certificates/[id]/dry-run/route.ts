import { apiRoute, notFound } from "@/lib/api/api-route";
import { queueCertificateJobResponse } from "@/lib/api/queue-certificate-job";
import { db } from "@/lib/db/client";

/** The dashboard's Test renewal: against the CA's staging directory; the live certificate is untouched. */
export const POST = apiRoute("dryRunCertificate", async ({ request, caller, id }) => {
  const certificate = await db.certificate.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!certificate) throw notFound("certificate", id);
  return queueCertificateJobResponse({ request, caller, certificate, type: "dry-run", auditAction: "certificate.test-renewal" });
});
