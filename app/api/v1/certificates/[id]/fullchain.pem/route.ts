import { AppError } from "@/lib/core/app-error";
import { API_RESPONSE_HEADERS } from "@/lib/web/http-error";
import { apiRoute, notFound } from "@/lib/web/api/api-route";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { db } from "@/lib/data/client";

/** fullchain.pem of the current version: public material only (leaf and intermediates). */
export const GET = apiRoute("downloadFullchain", async ({ id }) => {
  const certificate = await db.certificate.findUnique({
    where: { id },
    select: { name: true, status: true, currentVersion: { select: { chainPem: true, version: true } } },
  });
  if (!certificate) throw notFound("certificate", id);
  if (!certificate.currentVersion) {
    throw new AppError("not_found", `${certificate.name} has not been issued yet (status ${certificate.status}): wait for its job to succeed.`);
  }
  const filename = `${lineageDirectoryName(certificate.name)}-fullchain${certificate.currentVersion.version}.pem`;
  return new Response(certificate.currentVersion.chainPem, {
    headers: {
      ...API_RESPONSE_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  });
});
