import "server-only";
import { findJobRecord } from "@/lib/domain/jobs/queries";
import { followJobs, type JobFollowItem } from "@/lib/domain/jobs/follow-jobs";
import { toJobEventResource } from "@/lib/web/api/resources";
import { formatServerSentComment, formatServerSentEvent, formatServerSentRetry } from "@/lib/web/sse";

/** A comment this often keeps proxies and clients from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** How long EventSource waits before reconnecting after the connection dropped. */
const RECONNECT_MS = 2000;

export const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform: compression (which would hold events back) leaves the stream alone.
  "cache-control": "no-store, no-transform",
  // nginx and similar proxies pass the events on as they come.
  "x-accel-buffering": "no",
} as const;

export interface JobEventStreamOptions {
  jobIds: string[];
  /** Log lines after this id (Last-Event-ID, or ?after=). */
  afterId?: number;
  /** false: status and end only. */
  includeEvents?: boolean;
  /** The request's signal: the client went away. */
  signal?: AbortSignal;
  /** Close the stream after this long (EventSource then reconnects and the session is checked again). */
  maxDurationMs?: number;
  heartbeatMs?: number;
  quietMs?: number;
}

/**
 * A job's progress as text/event-stream, for the REST API and the dashboard alike:
 *
 *     id: 42                  (the log line's id, to resume with Last-Event-ID)
 *     event: log
 *     data: {"id":42,"at":"…","level":"info","step":"challenge","message":"…","detail":null}
 *
 *     event: status           (the status when the stream starts, then each change)
 *     data: {"jobId":"…","status":"running"}
 *
 *     event: end              (the job finished; the stream closes after it)
 *     data: {"jobId":"…","status":"succeeded","error":null}
 *
 * and a comment every HEARTBEAT_MS. Throws AppError("not_found") before streaming when a job
 * does not exist. The stream stops following when the client goes away (the request's signal,
 * or the body's reader cancelled), when every job ended, or after `maxDurationMs`.
 */
export async function jobEventStreamResponse(options: JobEventStreamOptions): Promise<Response> {
  const stop = new AbortController();
  const onClientGone = () => stop.abort();
  options.signal?.addEventListener("abort", onClientGone);
  if (options.signal?.aborted) stop.abort();
  let follower: Awaited<ReturnType<typeof followJobs>>;
  try {
    follower = await followJobs(options.jobIds, {
      afterId: options.afterId,
      includeEvents: options.includeEvents,
      signal: stop.signal,
      quietMs: options.quietMs,
    });
  } catch (error) {
    options.signal?.removeEventListener("abort", onClientGone);
    throw error;
  }

  const encoder = new TextEncoder();
  let heartbeat: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let isDone = false;
  const finish = () => {
    if (isDone) return;
    isDone = true;
    clearInterval(heartbeat);
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onClientGone);
    stop.abort();
    follower.close();
    // Ends the generator if it is suspended at a yield (it waits for the current step otherwise).
    void follower.items.return(undefined).catch(() => undefined);
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (!isDone) controller.enqueue(encoder.encode(text));
      };
      send(formatServerSentRetry(RECONNECT_MS));
      heartbeat = setInterval(() => send(formatServerSentComment("keep-alive")), options.heartbeatMs ?? HEARTBEAT_MS);
      if (options.maxDurationMs !== undefined) deadline = setTimeout(() => stop.abort(), options.maxDurationMs);
    },
    async pull(controller) {
      try {
        const next = await follower.items.next();
        if (isDone) return;
        if (next.done) {
          finish();
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(await formatItem(next.value)));
      } catch (error) {
        if (isDone) return;
        finish();
        controller.error(error);
      }
    },
    cancel() {
      finish();
    },
  });
  return new Response(stream, { status: 200, headers: EVENT_STREAM_HEADERS });
}

async function formatItem(item: JobFollowItem): Promise<string> {
  switch (item.type) {
    case "event": {
      return formatServerSentEvent({ id: item.event.id, event: "log", data: toJobEventResource(item.event) });
    }
    case "status":
      return formatServerSentEvent({ event: "status", data: { jobId: item.jobId, status: item.status } });
    case "end": {
      const job = await findJobRecord(item.jobId);
      return formatServerSentEvent({ event: "end", data: { jobId: item.jobId, status: item.status, error: job?.error ?? null } });
    }
  }
}
