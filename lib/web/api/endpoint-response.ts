import "server-only";
import { getEndpointDetail, type EndpointDetail } from "@/lib/domain/endpoints/queries";
import { apiJson, notFound } from "@/lib/web/api/api-route";
import { toEndpointDetailResource } from "@/lib/web/api/resources";

export async function findEndpointOrNotFound(id: string): Promise<EndpointDetail> {
  const endpoint = await getEndpointDetail(id);
  if (!endpoint) throw notFound("endpoint", id);
  return endpoint;
}

/** The endpoint as GET /endpoints/{id} answers it; 201 (with its location) right after it was added. */
export async function endpointResponse(id: string, status: 200 | 201 = 200): Promise<Response> {
  const resource = toEndpointDetailResource(await findEndpointOrNotFound(id));
  return apiJson(resource, status, status === 201 ? { location: `/api/v1/endpoints/${id}` } : {});
}
