import { z } from "zod";
import { appendJobEvent } from "@/lib/data/queue/job-event-writer";
import { inJobOrder, publishJobUpdate } from "@/lib/data/queue/job-updates";

export const JOB_EVENT_LEVELS = ["info", "warn", "error"] as const;
export type JobEventLevel = (typeof JOB_EVENT_LEVELS)[number];
/** A JobEvent row's `level` as read from the database. */
export const jobEventLevelSchema = z.enum(JOB_EVENT_LEVELS);

/**
 * Appends one timestamped step to a job's log. `detail` holds raw material (problem documents).
 * The stored line (lib/data/queue/job-event-writer.ts) is then published to this process's
 * followers (lib/data/queue/job-updates.ts).
 */
export async function logJobEvent(jobId: string, step: string, message: string, options: { level?: JobEventLevel; detail?: unknown } = {}): Promise<void> {
  const detail = options.detail === undefined ? null : typeof options.detail === "string" ? options.detail : JSON.stringify(options.detail, null, 2);
  const level = options.level ?? "info";
  await inJobOrder(jobId, async () => {
    const at = new Date();
    const id = await appendJobEvent({ jobId, at, step, message, level, detail });
    publishJobUpdate({ jobId, event: { id, at, step, message, detail, level }, status: null });
  });
}
