import { setCertificateDeployTargets } from "@/lib/domain/certificates/deploy-targets";
import { apiRoute } from "@/lib/web/api/api-route";
import { certificateDeployTargetsResponse } from "@/lib/web/api/deploy-target-response";

export const GET = apiRoute("getCertificateDeployTargets", async ({ id }) => certificateDeployTargetsResponse(id));

/** The certificate page's choice: its own targets, or the default ones. */
export const PUT = apiRoute("setCertificateDeployTargets", async ({ actor, id, body }) => {
  await setCertificateDeployTargets(actor, { certificateId: id, ...body });
  return certificateDeployTargetsResponse(id);
});
