import { AppError } from "@/lib/core/app-error";
import { listJobEventRecords } from "@/lib/domain/jobs/queries";
import { apiJson, apiRoute, notFound } from "@/lib/web/api/api-route";
import { toJobEventResource } from "@/lib/web/api/resources";
import { jobEventStreamResponse } from "@/lib/web/streams/job-event-stream";
import { acceptsEventStream, parseLastEventId } from "@/lib/web/sse";

export const GET = apiRoute("listJobEvents", async ({ request, id, query }) => {
  if (acceptsEventStream(request.headers.get("accept"))) {
    const lastEventId = parseLastEventId(request.headers.get("last-event-id"));
    if (lastEventId === null) {
      throw new AppError("bad_request", "Send Last-Event-ID as the id of the last event received (a whole number).", {
        fieldErrors: { "Last-Event-ID": ["Not a log event id"] },
      });
    }
    try {
      return await jobEventStreamResponse({ jobIds: [id], afterId: lastEventId ?? query.after, signal: request.signal });
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") throw notFound("job", id);
      throw error;
    }
  }
  const events = await listJobEventRecords(id, query.after);
  if (!events) throw notFound("job", id);
  return apiJson({ events: events.map(toJobEventResource) }, 200, { vary: "Accept" });
});
