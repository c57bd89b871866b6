import { testRenewal } from "@/lib/domain/certificates/renew-certificate";
import { apiRoute } from "@/lib/web/api/api-route";
import { queuedJobResponse } from "@/lib/web/api/queued-job-response";

/** The dashboard's Test renewal: against the CA's staging directory; the live certificate is untouched. */
export const POST = apiRoute("dryRunCertificate", async ({ actor, id }) => queuedJobResponse((await testRenewal(actor, { id })).jobId));
