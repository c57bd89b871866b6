import { testDeployTarget } from "@/lib/domain/deploy/targets/test-target";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";

/** The dashboard's Test: SSH logs in (pinning the host key the first time), nginx runs its test command. */
export const POST = apiRoute("testDeployTarget", async ({ actor, id }) => apiJson(await testDeployTarget(actor, { id })));
