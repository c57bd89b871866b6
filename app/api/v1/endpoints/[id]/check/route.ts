import { checkEndpoint } from "@/lib/domain/endpoints/endpoints";
import { apiRoute } from "@/lib/web/api/api-route";
import { endpointResponse } from "@/lib/web/api/endpoint-response";

/** The dashboard's Check now: probes inside the request (bounded), no job. */
export const POST = apiRoute("checkEndpoint", async ({ actor, id }) => {
  await checkEndpoint(actor, { id });
  return endpointResponse(id);
});
