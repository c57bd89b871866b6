import { addEndpoint } from "@/lib/domain/endpoints/endpoints";
import { listEndpoints } from "@/lib/domain/endpoints/queries";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { endpointResponse } from "@/lib/web/api/endpoint-response";
import { toEndpointResource } from "@/lib/web/api/resources";

/** The Endpoints page's list, narrowed by the query's filters. */
export const GET = apiRoute("listEndpoints", async ({ query }) => {
  const { rows, total } = await listEndpoints(query);
  return apiJson({ endpoints: rows.map(toEndpointResource), total });
});

/** The dashboard's Watch an endpoint: one command, one schema (the body is its input), checked at once. */
export const POST = apiRoute("createEndpoint", async ({ actor, body }) => endpointResponse((await addEndpoint(actor, body)).id, 201));
