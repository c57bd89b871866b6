import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { findJobResource } from "@/lib/web/api/resources";

export const GET = apiRoute("getJob", async ({ id }) => {
  const job = await findJobResource(id);
  if (!job) throw notFound("job", id);
  return apiJson(job);
});
