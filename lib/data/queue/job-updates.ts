import { EventEmitter } from "node:events";
import type { JobEventLevel } from "@/lib/data/queue/job-log";
import type { JobStatus } from "@/lib/data/queue/job-types";

/** One line of a job's log as stored (a JobEvent row). */
export interface JobLogLine {
  id: number;
  at: Date;
  level: JobEventLevel;
  step: string;
  message: string;
  detail: string | null;
}

/**
 * What this process just wrote about a job: a new log line, a new status, or both. Published
 * after the write is committed, so whoever hears it can read the same thing from the database.
 */
export interface JobUpdate {
  jobId: string;
  event: JobLogLine | null;
  status: JobStatus | null;
}

/**
 * In-process news of job log lines and status changes, so the event streams (REST API and
 * dashboard, lib/domain/jobs/follow-jobs.ts) pass them on at once instead of on their next look
 * at the database. Only an accelerator: a follower that hears nothing reads the database anyway,
 * which is how writes by another process (a second instance, a resumed worker) reach it.
 *
 * Kept on globalThis because Next.js may load this module once per bundle (instrumentation,
 * where the runner lives, and the route handlers), and both must share one emitter.
 */
const globalForUpdates = globalThis as unknown as {
  certdeckJobUpdates?: { emitter: EventEmitter; tails: Map<string, Promise<void>> };
};
const shared = (globalForUpdates.certdeckJobUpdates ??= (() => {
  const emitter = new EventEmitter();
  // One listener per open stream or long poll; tests check that each one is removed again.
  emitter.setMaxListeners(0);
  return { emitter, tails: new Map<string, Promise<void>>() };
})());

export function publishJobUpdate(update: JobUpdate): void {
  shared.emitter.emit("update", update);
}

export function publishJobStatus(jobId: string, status: JobStatus): void {
  publishJobUpdate({ jobId, event: null, status });
}

export function onJobUpdate(listener: (update: JobUpdate) => void): () => void {
  shared.emitter.on("update", listener);
  return () => shared.emitter.off("update", listener);
}

/** How many followers listen right now (for tests: none may be left behind). */
export function jobUpdateListenerCount(): number {
  return shared.emitter.listenerCount("update");
}

/**
 * Runs `write` after the previous write for the same job in this process has finished, so a
 * job's log lines get their ids and are published in one order even when a handler logs from
 * parallel work (e.g. one validation per name). Followers rely on that order to resume by id.
 */
export function inJobOrder<T>(jobId: string, write: () => Promise<T>): Promise<T> {
  const previous = shared.tails.get(jobId) ?? Promise.resolve();
  const result = previous.then(write);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  shared.tails.set(jobId, tail);
  void tail.then(() => {
    if (shared.tails.get(jobId) === tail) shared.tails.delete(jobId);
  });
  return result;
}
