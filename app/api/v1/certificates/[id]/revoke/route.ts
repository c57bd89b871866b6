import { revokeCertificate } from "@/lib/domain/certificates/revoke-certificate";
import { apiRoute } from "@/lib/web/api/api-route";
import { queuedJobResponse } from "@/lib/web/api/queued-job-response";

/** The dashboard's Revoke: the job asks the CA with the account key and the given reason. */
export const POST = apiRoute("revokeCertificate", async ({ actor, id, body }) =>
  queuedJobResponse((await revokeCertificate(actor, { id, reason: body.reason })).jobId),
);
