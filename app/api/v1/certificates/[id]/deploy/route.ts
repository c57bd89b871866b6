import { deployToTargetNow } from "@/lib/domain/certificates/deploy-targets";
import { deployCertificateNow } from "@/lib/domain/certificates/renew-certificate";
import { apiRoute } from "@/lib/web/api/api-route";
import { queuedJobResponse } from "@/lib/web/api/queued-job-response";

/** The dashboard's Deploy now: the whole version, or (?targetId=) next to one target; the maintenance window is ignored. */
export const POST = apiRoute("deployCertificate", async ({ actor, id, query: { targetId } }) => {
  const queued = targetId ? await deployToTargetNow(actor, { certificateId: id, targetId }) : await deployCertificateNow(actor, { id });
  return queuedJobResponse(queued.jobId);
});
