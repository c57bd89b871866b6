import { listJobEventRecords } from "@/lib/domain/jobs/queries";
import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { toJobEventResource } from "@/lib/web/api/resources";

export const GET = apiRoute("listJobEvents", async ({ id, query }) => {
  const events = await listJobEventRecords(id, query.after);
  if (!events) throw notFound("job", id);
  return apiJson({ events: events.map(toJobEventResource) });
});
