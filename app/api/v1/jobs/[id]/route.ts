import { findJobRecord } from "@/lib/domain/jobs/queries";
import { waitForJobToSettle } from "@/lib/domain/jobs/follow-jobs";
import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { toJobResource } from "@/lib/web/api/resources";

export const GET = apiRoute("getJob", async ({ request, id, query }) => {
  // Long poll: returns at once when the job has already finished or waits for the operator.
  if (query.wait) await waitForJobToSettle(id, query.wait * 1000, request.signal);
  const job = await findJobRecord(id);
  if (!job) throw notFound("job", id);
  return apiJson(toJobResource(job));
});
