import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { listJobEventResources } from "@/lib/web/api/resources";
import { db } from "@/lib/data/client";

export const GET = apiRoute("listJobEvents", async ({ id, query }) => {
  if (!(await db.job.findUnique({ where: { id }, select: { id: true } }))) throw notFound("job", id);
  return apiJson({ events: await listJobEventResources(id, query.after) });
});
