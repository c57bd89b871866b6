import { editEndpoint, removeEndpoint } from "@/lib/domain/endpoints/endpoints";
import { endpointInputOf } from "@/lib/domain/endpoints/queries";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { endpointResponse, findEndpointOrNotFound } from "@/lib/web/api/endpoint-response";

export const GET = apiRoute("getEndpoint", async ({ id }) => endpointResponse(id));

/** The dashboard's Save on the endpoint's page, with the fields not sent as they are. */
export const PATCH = apiRoute("changeEndpoint", async ({ actor, id, body }) => {
  await editEndpoint(actor, { ...endpointInputOf(await findEndpointOrNotFound(id)), ...body });
  return endpointResponse(id);
});

export const DELETE = apiRoute("deleteEndpoint", async ({ actor, id }) => apiJson({ id, ...(await removeEndpoint(actor, { id })) }));
