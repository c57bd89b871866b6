import { apiRoute, notFound } from "@/lib/api/api-route";
import { queueCertificateJobResponse } from "@/lib/api/queue-certificate-job";
import { db } from "@/lib/db/client";

/** The dashboard's Renew (or Try again, for a certificate never issued). */
export const POST = apiRoute("renewCertificate", async ({ request, caller, id }) => {
  const certificate = await db.certificate.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!certificate) throw notFound("certificate", id);
  return queueCertificateJobResponse({ request, caller, certificate, type: "renew", auditAction: "certificate.renew" });
});
