import "server-only";
import { AppError } from "@/lib/core/app-error";
import { httpErrorResponse } from "@/lib/web/http-error";
import { jobEventStreamResponse } from "@/lib/web/streams/job-event-stream";
import { getCurrentUser } from "@/lib/web/session";

/**
 * The dashboard's streams close after this long; EventSource reconnects (resuming with
 * Last-Event-ID), and the session is checked again, so a stream never outlives a sign-out by much.
 */
export const DASHBOARD_STREAM_MAX_MS = 5 * 60_000;

/**
 * The job event stream (lib/web/streams/job-event-stream.ts) for the signed-in browser: the session
 * cookie authorizes it, never a bearer token (the REST API is the other way round). A GET that
 * only reads, so CSRF does not apply; requests another site's page makes are refused anyway.
 */
export async function dashboardJobStream(
  request: Request,
  label: string,
  open: () => { jobIds: string[]; afterId?: number; includeEvents: boolean },
): Promise<Response> {
  try {
    if (!(await getCurrentUser())) throw new AppError("unauthorized", "Sign in first.");
    if (request.headers.get("sec-fetch-site") === "cross-site") throw new AppError("forbidden", "This stream is for the dashboard's own pages.");
    return await jobEventStreamResponse({ ...open(), signal: request.signal, maxDurationMs: DASHBOARD_STREAM_MAX_MS });
  } catch (error) {
    return httpErrorResponse(error, label);
  }
}
