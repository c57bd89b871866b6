import { apiJson, apiRoute, notFound } from "@/lib/api/api-route";
import { findJobResource } from "@/lib/api/resources";

export const GET = apiRoute("getJob", async ({ id }) => {
  const job = await findJobResource(id);
  if (!job) throw notFound("job", id);
  return apiJson(job);
});
