import { db } from "@/lib/data/client";

export type JobEventLevel = "info" | "warn" | "error";

/** Appends one timestamped step to a job's log. `detail` holds raw material (problem documents). */
export async function logJobEvent(
  jobId: string,
  step: string,
  message: string,
  options: { level?: JobEventLevel; detail?: unknown } = {},
): Promise<void> {
  const detail =
    options.detail === undefined ? null : typeof options.detail === "string" ? options.detail : JSON.stringify(options.detail, null, 2);
  await db.jobEvent.create({ data: { jobId, step, message, level: options.level ?? "info", detail } });
}
