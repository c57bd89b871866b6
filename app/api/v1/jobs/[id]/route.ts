import { findJobRecord } from "@/lib/domain/jobs/queries";
import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { toJobResource } from "@/lib/web/api/resources";

export const GET = apiRoute("getJob", async ({ id }) => {
  const job = await findJobRecord(id);
  if (!job) throw notFound("job", id);
  return apiJson(toJobResource(job));
});
