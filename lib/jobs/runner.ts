import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import type { z } from "zod";
import { createJobContext, endedJobOf, type JobContext, type JobDefinition, type JobFailure } from "@/lib/jobs/handlers/define-job";
import { logJobEvent } from "@/lib/data/queue/job-log";
import { OperatorActionNeeded } from "@/lib/protocol/acme/challenge-responder";
import { jobTypeSchema, type JobOptionsOf, type JobType } from "@/lib/data/queue/job-types";
import { deployJob } from "@/lib/jobs/handlers/deploy";
import { dryRunJob } from "@/lib/jobs/handlers/dry-run";
import { issueCertificateJob } from "@/lib/jobs/handlers/issue-certificate";
import { registerAccountJob } from "@/lib/jobs/handlers/register-account";
import { revokeJob } from "@/lib/jobs/handlers/revoke";
import { claimNextJob, nextQueuedJobDueAt, renewJobLeases, requeueExpiredLeases, requeueInterruptedJobs, type ClaimedJob } from "@/lib/data/queue/queue";
import { nextRetryAt } from "@/lib/jobs/retry-policy";
import { announceJobEnded, onJobRunnerWake } from "@/lib/data/queue/wake";
import { publishJobStatus } from "@/lib/data/queue/job-updates";
import { getSetting } from "@/lib/data/settings";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";

/** Every job type's definition, run with its typed options and state. */
const JOBS: Record<JobType, (row: ClaimedJob) => Promise<void>> = {
  issue: (row) => runJob(issueCertificateJob, row),
  renew: (row) => runJob(issueCertificateJob, row),
  "dry-run": (row) => runJob(dryRunJob, row),
  deploy: (row) => runJob(deployJob, row),
  revoke: (row) => runJob(revokeJob, row),
  "register-account": (row) => runJob(registerAccountJob, row),
};

/** How often a worker renews the leases of the jobs it runs (well inside JOB_LEASE_MS). */
const LEASE_HEARTBEAT_MS = 30_000;

/** Longest sleep between looks at the queue; enqueueing wakes the runner at once anyway. */
const IDLE_POLL_MS = 30_000;

export interface JobRunner {
  workerId: string;
  /** Stops claiming jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/** Jobs beyond the renewal slots, so a click (issue, test renewal, revoke) never waits behind the scheduler's renewals. */
export const INTERACTIVE_JOB_SLOTS = 4;

/** How many jobs the server's runner works on at once: the renewalConcurrency setting plus the interactive slots. */
export async function defaultJobRunnerConcurrency(): Promise<number> {
  return (await getSetting("renewalConcurrency")) + INTERACTIVE_JOB_SLOTS;
}

/**
 * Starts claiming and running jobs. `concurrency` fixes how many run at once; without it, the
 * limit follows the renewalConcurrency setting (read at each look at the queue).
 */
export async function startJobRunner(options: { concurrency?: number } = {}): Promise<JobRunner> {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let isPumping = false;
  let pumpAgain = false;
  let isStopped = false;

  const resumed = await requeueInterruptedJobs(workerId);
  if (resumed.length > 0) console.info(`[certdeck] resuming ${resumed.length} interrupted job(s)`);

  async function pump(): Promise<void> {
    if (isStopped) return;
    if (isPumping) {
      pumpAgain = true;
      return;
    }
    isPumping = true;
    try {
      let isFull = false;
      do {
        pumpAgain = false;
        const concurrency = options.concurrency ?? (await defaultJobRunnerConcurrency());
        while (running.size < concurrency && !isStopped) {
          const job = await claimNextJob(workerId);
          if (!job) break;
          const execution = execute(job).finally(() => {
            running.delete(execution);
            announceJobEnded(job.type);
            void pump();
          });
          running.add(execution);
        }
        isFull = running.size >= concurrency;
      } while (pumpAgain && !isStopped);
      // Every slot busy: the next job to end looks at the queue again, no need to ask when.
      if (isFull) schedule(IDLE_POLL_MS);
      else await scheduleNextLook();
    } catch (error) {
      console.error("[certdeck] job runner error", error);
      schedule(1000);
    } finally {
      isPumping = false;
    }
  }

  async function scheduleNextLook(): Promise<void> {
    const dueAt = await nextQueuedJobDueAt();
    const delay = dueAt ? Math.max(0, dueAt.getTime() - Date.now()) : IDLE_POLL_MS;
    schedule(Math.min(delay, IDLE_POLL_MS));
  }

  function schedule(delay: number): void {
    if (isStopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void pump(), delay);
    timer.unref();
  }

  // Leases: renew ours while jobs run; take back jobs whose worker stopped renewing.
  const heartbeat = setInterval(() => {
    void renewJobLeases(workerId)
      .then(() => requeueExpiredLeases(workerId))
      .then(async (requeued) => {
        if (requeued.length > 0) await pump();
      })
      .catch((error) => console.error("[certdeck] job lease heartbeat failed", error));
  }, LEASE_HEARTBEAT_MS);
  heartbeat.unref();

  const stopListening = onJobRunnerWake(() => void pump());
  void pump();

  return {
    workerId,
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      stopListening();
      await Promise.allSettled([...running]);
    },
  };
}

async function execute(row: ClaimedJob): Promise<void> {
  const type = jobTypeSchema.safeParse(row.type);
  if (type.success) return JOBS[type.data](row);
  console.error(`[certdeck] job ${row.id} has the unknown type "${row.type}"`);
  await failJob(row.id, { userMessage: "The job failed unexpectedly. The server log has the details." });
}

/**
 * Runs one claimed job: parses its options and state (a stored value that does not parse fails
 * the job with the field's message), runs the handler, and ends the job: succeeded, parked as
 * "waiting" for the operator, queued again for a retry, or failed.
 */
async function runJob<Type extends JobType, StateSchema extends z.ZodObject>(definition: JobDefinition<Type, StateSchema>, row: ClaimedJob): Promise<void> {
  let context: JobContext<Type, JobOptionsOf<Type>, z.output<StateSchema>> | undefined;
  try {
    await logJobEvent(row.id, "start", row.attempts > 1 ? `Started (attempt ${row.attempts})` : "Started");
    context = createJobContext(definition, row);
    const summary = await definition.run(context);
    await logJobEvent(row.id, "done", summary);
    await db.job.update({ where: { id: row.id }, data: { status: "succeeded", finishedAt: new Date(), lockedBy: null } });
    publishJobStatus(row.id, "succeeded");
  } catch (error) {
    if (error instanceof OperatorActionNeeded && context) {
      // Before the job reads as "waiting", so whoever sees it waiting has been told.
      await definition.onWaiting?.(context, error).catch((problem) => console.error("[certdeck] onWaiting", problem));
      await logJobEvent(row.id, "waiting", error.instructions, { level: "warn" });
      // The attempt did not fail: waiting for the operator does not use one up.
      await db.job.update({ where: { id: row.id }, data: { status: "waiting", lockedBy: null, attempts: { decrement: 1 } } });
      publishJobStatus(row.id, "waiting");
      return;
    }
    const appError = error instanceof AppError ? error : null;
    const failure: JobFailure = {
      userMessage: appError?.userMessage ?? "The job failed unexpectedly. The server log has the details.",
      reason: appError?.reason,
    };
    if (!appError) console.error(`[certdeck] job ${row.id} (${row.type}) failed`, error);
    const ended = context ? { job: context.job, options: context.options } : endedJobOf(definition, row);
    const retryAt = nextRetryAt(appError, row.attempts, new Date());
    if (retryAt) {
      await definition.onRetry?.(ended, failure, retryAt).catch((problem) => console.error("[certdeck] onRetry", problem));
      await logJobEvent(row.id, "retry", `${failure.userMessage} Trying again ${formatDateTime(retryAt, displayTimeZone())}.`, { level: "warn" });
      await db.job.update({
        where: { id: row.id },
        data: {
          status: "queued",
          runAfter: retryAt,
          lockedBy: null,
          // A deferral by the rate-limit guard sent nothing: it does not use up an attempt.
          ...(appError?.code === "rate_limit_guard" ? { attempts: { decrement: 1 } } : {}),
        },
      });
      publishJobStatus(row.id, "queued");
      return;
    }
    // Record the failure on the certificate (and notify) before the job reads as finished, so
    // whoever sees "failed" also sees why.
    await definition.onFailure(ended, failure).catch((problem) => console.error("[certdeck] onFailure", problem));
    await failJob(row.id, failure);
  }
}

async function failJob(jobId: string, failure: JobFailure): Promise<void> {
  await logJobEvent(jobId, "done", failure.userMessage, { level: "error" });
  await db.job.update({
    where: { id: jobId },
    data: { status: "failed", finishedAt: new Date(), lockedBy: null, error: failure.userMessage },
  });
  publishJobStatus(jobId, "failed");
}
