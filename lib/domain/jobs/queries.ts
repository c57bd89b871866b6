import "server-only";
import { db } from "@/lib/data/client";
import { jobEventLevelSchema } from "@/lib/data/queue/job-log";
import type { JobLogLine } from "@/lib/data/queue/job-updates";
import { jobStatusSchema, jobTypeSchema, type JobStatus, type JobType } from "@/lib/data/queue/job-types";

/** A job's status as the REST API describes it (lib/web/api/resources.ts writes the JSON). */
export interface JobRecord {
  id: string;
  type: JobType;
  status: JobStatus;
  certificateId: string | null;
  accountId: string | null;
  attempts: number;
  error: string | null;
  createdAt: Date;
  runAfter: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function findJobRecord(id: string): Promise<JobRecord | null> {
  const row = await db.job.findUnique({
    where: { id },
    select: {
      id: true,
      type: true,
      status: true,
      certificateId: true,
      accountId: true,
      attempts: true,
      error: true,
      createdAt: true,
      runAfter: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  return row ? { ...row, type: jobTypeSchema.parse(row.type), status: jobStatusSchema.parse(row.status) } : null;
}

/** A job's log, oldest first, optionally only the events after `afterId`; null when there is no such job. */
export async function listJobEventRecords(jobId: string, afterId?: number): Promise<JobLogLine[] | null> {
  if (!(await db.job.findUnique({ where: { id: jobId }, select: { id: true } }))) return null;
  const events = await db.jobEvent.findMany({
    where: { jobId, ...(afterId === undefined ? {} : { id: { gt: afterId } }) },
    orderBy: { id: "asc" },
    select: { id: true, at: true, level: true, step: true, message: true, detail: true },
  });
  return events.map((event) => ({ ...event, level: jobEventLevelSchema.parse(event.level) }));
}
