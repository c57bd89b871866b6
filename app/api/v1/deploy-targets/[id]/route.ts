import { deleteDeployTarget, deployTargetInputOf, updateDeployTarget } from "@/lib/domain/deploy/targets/manage-targets";
import type { UpdateDeployTargetInput } from "@/lib/domain/deploy/targets/target-input";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { deployTargetResource, savedDeployTargetResponse } from "@/lib/web/api/deploy-target-response";

export const GET = apiRoute("getDeployTarget", async ({ id }) => apiJson(await deployTargetResource(id)));

/** The dashboard's Save on the target's page, with the fields not sent (commands, the SSH key) as stored. */
export const PATCH = apiRoute("changeDeployTarget", async ({ actor, id, body }) => {
  const input = { ...(await deployTargetInputOf(id, body.type)), ...body, id } as UpdateDeployTargetInput;
  return savedDeployTargetResponse(await updateDeployTarget(actor, input));
});

export const DELETE = apiRoute("deleteDeployTarget", async ({ actor, id }) => apiJson({ id, ...(await deleteDeployTarget(actor, { id })) }));
