import { createDeployTarget } from "@/lib/domain/deploy/targets/manage-targets";
import { listDeployTargetRecords } from "@/lib/domain/deploy/targets/queries";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { savedDeployTargetResponse } from "@/lib/web/api/deploy-target-response";
import { toDeployTargetResource } from "@/lib/web/api/resources";

export const GET = apiRoute("listDeployTargets", async () => apiJson({ targets: (await listDeployTargetRecords()).map(toDeployTargetResource) }));

/** The dashboard's Add target: one command, one schema (the body is its input), one audit entry. */
export const POST = apiRoute("createDeployTarget", async ({ actor, body }) => savedDeployTargetResponse(await createDeployTarget(actor, body), 201));
