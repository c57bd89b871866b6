import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { dashboardJobStream } from "@/lib/web/streams/dashboard-job-stream";
import { parseLastEventId } from "@/lib/web/sse";

/**
 * The certificate page's live job log (components/live-job-steps.tsx): the job's log lines after
 * Last-Event-ID (as EventSource reconnects) or ?after= (the last line the page was rendered with),
 * its status changes and its end, as server-sent events.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const id = idSchema.safeParse((await params).id);
  const after = new URL(request.url).searchParams.get("after");
  return dashboardJobStream(request, "GET /api/jobs/[id]/events", () => {
    if (!id.success) throw new AppError("not_found", "There is no such job.");
    const afterId = parseLastEventId(request.headers.get("last-event-id")) ?? parseLastEventId(after) ?? undefined;
    return { jobIds: [id.data], afterId, includeEvents: true };
  });
}
