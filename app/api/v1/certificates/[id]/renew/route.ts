import { renewCertificate } from "@/lib/domain/certificates/renew-certificate";
import { apiRoute } from "@/lib/web/api/api-route";
import { renewJobResponse } from "@/lib/web/api/queued-job-response";

/**
 * The dashboard's Renew (or Try again, for a certificate never issued). Within a minute of a
 * successful renewal it answers that renewal (200, reused) unless ?again=true.
 */
export const POST = apiRoute("renewCertificate", async ({ actor, id, query }) =>
  renewJobResponse(await renewCertificate(actor, { id, again: query.again ?? false })),
);
