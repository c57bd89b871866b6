import { db } from "@/lib/data/client";
import { logJobEvent, type JobEventLevel } from "@/lib/data/queue/job-log";
import type { ClaimedJob } from "@/lib/data/queue/queue";

/** What a handler gets: its job, a step log, and a saved state that survives a restart. */
export interface JobContext<State extends object> {
  job: ClaimedJob;
  state: State;
  log(step: string, message: string, options?: { level?: JobEventLevel; detail?: unknown }): Promise<void>;
  /** Merges `patch` into the state and saves it before returning. */
  saveState(patch: Partial<State>): Promise<void>;
}

export function createJobContext<State extends object>(job: ClaimedJob): JobContext<State> {
  const context: JobContext<State> = {
    job,
    state: (job.state ? JSON.parse(job.state) : {}) as State,
    log: (step, message, options) => logJobEvent(job.id, step, message, options),
    async saveState(patch) {
      context.state = { ...context.state, ...patch };
      await db.job.update({ where: { id: job.id }, data: { state: JSON.stringify(context.state) } });
    },
  };
  return context;
}

/** Why a job failed, as the operator reads it. */
export interface JobFailure {
  userMessage: string;
  /** Reason code for lists (lib/protocol/acme/problems.ts FailureReasonCode, "preflight", "port-in-use" …). */
  reason?: string;
}

export interface JobHandler {
  /** Does the work; returns a one-line summary for the log. Throw AppError for expected failures. */
  run(context: JobContext<object>): Promise<string>;
  /** Records a final failure on the object the job works on (certificate, account). */
  onFailure(job: ClaimedJob, failure: JobFailure): Promise<void>;
  /** Records a transient failure that will be retried at `retryAt`. */
  onRetry?(job: ClaimedJob, failure: JobFailure, retryAt: Date): Promise<void>;
}
