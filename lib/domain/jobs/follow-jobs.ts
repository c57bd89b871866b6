import "server-only";
import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import { jobEventLevelSchema } from "@/lib/data/queue/job-log";
import { FINISHED_JOB_STATUSES, jobStatusSchema, type JobStatus } from "@/lib/data/queue/job-types";
import { onJobUpdate, type JobLogLine, type JobUpdate } from "@/lib/data/queue/job-updates";

/** What a follower of jobs hears, in order per job. */
export type JobFollowItem =
  | { type: "event"; jobId: string; event: JobLogLine }
  /** The job's status when following starts, then each change. */
  | { type: "status"; jobId: string; status: JobStatus }
  /** The job finished (succeeded or failed); every log line of it was yielded before this. */
  | { type: "end"; jobId: string; status: JobStatus };

export interface FollowJobsOptions {
  /** Yield log lines with an id greater than this (the ids are the log's, shared by all jobs). Default: the whole log. */
  afterId?: number;
  /** false: statuses only (the overview, long polls). Default true. */
  includeEvents?: boolean;
  signal?: AbortSignal;
  /**
   * After this long without news from this process, look at the database: writes by another
   * process (a second instance, a worker resumed elsewhere) arrive that way.
   */
  quietMs?: number;
}

export interface JobFollower {
  items: AsyncGenerator<JobFollowItem, void, undefined>;
  /** Stops following (idempotent); also done when `items` ends or the signal aborts. */
  close(): void;
}

export const DEFAULT_QUIET_MS = 2000;

const isFinished = (status: JobStatus) => FINISHED_JOB_STATUSES.includes(status);

interface Followed {
  lastEventId: number;
  status: JobStatus;
  hasEnded: boolean;
}

/**
 * Follows jobs as they run: their log lines in order (each once) and their status changes, until
 * every job finished or the signal aborts. News published by this process
 * (lib/data/queue/job-updates.ts) passes on at once; after `quietMs` without any, the database is
 * read for lines after the last one seen and for the statuses, so correctness never depends on
 * the in-process news. Throws AppError("not_found") when a job does not exist, before anything
 * is yielded, so a route can still answer 404.
 */
export async function followJobs(jobIds: string[], options: FollowJobsOptions = {}): Promise<JobFollower> {
  const ids = [...new Set(jobIds)];
  const includeEvents = options.includeEvents ?? true;
  const quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
  const signal = options.signal;
  const followed = new Map<string, Followed>();
  const pending: JobUpdate[] = [];
  let wake: (() => void) | null = null;
  let isClosed = false;

  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const stopListening = onJobUpdate((update) => {
    if (isClosed || !ids.includes(update.jobId)) return;
    pending.push(update);
    notify();
  });
  const close = () => {
    if (isClosed) return;
    isClosed = true;
    stopListening();
    signal?.removeEventListener("abort", close);
    notify();
  };
  signal?.addEventListener("abort", close);
  if (signal?.aborted) close();

  /** Statuses first, then lines: a finished job wrote its last line before its status. */
  async function readDatabase(jobsToRead: string[]): Promise<{ statuses: Map<string, JobStatus>; events: Array<{ jobId: string; event: JobLogLine }> }> {
    const rows = await db.job.findMany({ where: { id: { in: jobsToRead } }, select: { id: true, status: true } });
    const statuses = new Map(rows.map((row) => [row.id, jobStatusSchema.parse(row.status)]));
    if (!includeEvents || rows.length === 0) return { statuses, events: [] };
    const found = rows.map((row) => row.id);
    const events = await db.jobEvent.findMany({
      where: { OR: found.map((jobId) => ({ jobId, id: { gt: followed.get(jobId)?.lastEventId ?? options.afterId ?? 0 } })) },
      orderBy: { id: "asc" },
      select: { id: true, jobId: true, at: true, level: true, step: true, message: true, detail: true },
    });
    return { statuses, events: events.map(({ jobId, ...event }) => ({ jobId, event: { ...event, level: jobEventLevelSchema.parse(event.level) } })) };
  }

  let first: Awaited<ReturnType<typeof readDatabase>>;
  try {
    first = await readDatabase(ids);
  } catch (error) {
    close();
    throw error;
  }
  const missing = ids.find((id) => !first.statuses.has(id));
  if (missing) {
    close();
    throw new AppError("not_found", `No job has the id "${missing.slice(0, 64)}".`);
  }
  for (const id of ids) followed.set(id, { lastEventId: options.afterId ?? 0, status: first.statuses.get(id)!, hasEnded: false });
  // News heard while the database was read: log lines are kept (repeats are skipped by id), a
  // status that does not finish the job may be older than what was read, so it is dropped.
  pending.splice(0, pending.length, ...pending.filter((update) => update.event || (update.status && isFinished(update.status))));

  async function* lines(found: Array<{ jobId: string; event: JobLogLine }>): AsyncGenerator<JobFollowItem> {
    for (const { jobId, event } of found) {
      const job = followed.get(jobId)!;
      if (event.id <= job.lastEventId) continue;
      job.lastEventId = event.id;
      yield { type: "event", jobId, event };
    }
  }

  async function* statusChange(jobId: string, status: JobStatus, isInitial = false): AsyncGenerator<JobFollowItem> {
    const job = followed.get(jobId)!;
    if (job.hasEnded) return;
    if (isFinished(status)) {
      // The news may have come before lines written by another process: read what is left.
      if (includeEvents && !isInitial) yield* lines((await readDatabase([jobId])).events);
      job.status = status;
      job.hasEnded = true;
      yield { type: "end", jobId, status };
      return;
    }
    if (status === job.status && !isInitial) return;
    job.status = status;
    yield { type: "status", jobId, status };
  }

  const allEnded = () => [...followed.values()].every((job) => job.hasEnded);

  async function* run(): AsyncGenerator<JobFollowItem, void, undefined> {
    try {
      yield* lines(first.events);
      for (const id of ids) yield* statusChange(id, first.statuses.get(id)!, true);
      while (!isClosed && !allEnded()) {
        if (pending.length === 0) {
          const heard = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => {
              wake = null;
              resolve(false);
            }, quietMs);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          if (isClosed) break;
          if (!heard) {
            const open = ids.filter((id) => !followed.get(id)!.hasEnded);
            const { statuses, events } = await readDatabase(open);
            yield* lines(events);
            for (const id of open) {
              const status = statuses.get(id);
              if (status) yield* statusChange(id, status);
              else followed.get(id)!.hasEnded = true; // Jobs are not deleted; should one go, stop following it.
            }
            continue;
          }
        }
        const update = pending.shift();
        if (!update) continue;
        if (update.event && includeEvents) yield* lines([{ jobId: update.jobId, event: update.event }]);
        if (update.status) yield* statusChange(update.jobId, update.status);
      }
    } finally {
      close();
    }
  }

  return { items: run(), close };
}

/**
 * Waits until the job finished or waits for the operator, at most `timeoutMs`; then (or at
 * once, when it already does) returns its status. Null when there is no such job.
 */
export async function waitForJobToSettle(jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<JobStatus | null> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort);
  try {
    const follower = await followJobs([jobId], { includeEvents: false, signal: stop.signal });
    let status: JobStatus | null = null;
    for await (const item of follower.items) {
      if (item.type === "event") continue;
      status = item.status;
      if (item.type === "end" || item.status === "waiting") break;
    }
    return status;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
