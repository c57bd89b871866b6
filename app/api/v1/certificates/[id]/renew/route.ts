import { renewCertificate } from "@/lib/domain/certificates/renew-certificate";
import { apiRoute } from "@/lib/web/api/api-route";
import { queuedJobResponse } from "@/lib/web/api/queued-job-response";

/** The dashboard's Renew (or Try again, for a certificate never issued). */
export const POST = apiRoute("renewCertificate", async ({ actor, id }) => queuedJobResponse((await renewCertificate(actor, { id })).jobId));
