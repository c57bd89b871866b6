import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import { createJobContext, type JobHandler } from "@/lib/jobs/job-context";
import { logJobEvent } from "@/lib/data/queue/job-log";
import { JobWaitingForOperator } from "@/lib/data/queue/job-waiting";
import type { JobType } from "@/lib/data/queue/job-types";
import { deployHandler } from "@/lib/jobs/handlers/deploy";
import { dryRunHandler } from "@/lib/jobs/handlers/dry-run";
import { issueCertificateHandler } from "@/lib/jobs/handlers/issue-certificate";
import { registerAccountHandler } from "@/lib/jobs/handlers/register-account";
import { revokeHandler } from "@/lib/jobs/handlers/revoke";
import { claimNextJob, nextQueuedJobDueAt, renewJobLeases, requeueExpiredLeases, requeueInterruptedJobs, type ClaimedJob } from "@/lib/data/queue/queue";
import { nextRetryAt } from "@/lib/jobs/retry-policy";
import { announceJobEnded, onJobRunnerWake } from "@/lib/data/queue/wake";
import { getSetting } from "@/lib/data/settings";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";

const HANDLERS: Record<JobType, JobHandler> = {
  issue: issueCertificateHandler,
  renew: issueCertificateHandler,
  "dry-run": dryRunHandler,
  deploy: deployHandler,
  revoke: revokeHandler,
  "register-account": registerAccountHandler,
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

async function execute(job: ClaimedJob): Promise<void> {
  const handler = HANDLERS[job.type as JobType];
  try {
    if (!handler) throw new Error(`unknown job type "${job.type}"`);
    await logJobEvent(job.id, "start", job.attempts > 1 ? `Started (attempt ${job.attempts})` : "Started");
    const summary = await handler.run(createJobContext(job));
    await logJobEvent(job.id, "done", summary);
    await db.job.update({ where: { id: job.id }, data: { status: "succeeded", finishedAt: new Date(), lockedBy: null } });
  } catch (error) {
    if (error instanceof JobWaitingForOperator) {
      await logJobEvent(job.id, "waiting", error.instructions, { level: "warn" });
      // The attempt did not fail: waiting for the operator does not use one up.
      await db.job.update({ where: { id: job.id }, data: { status: "waiting", lockedBy: null, attempts: { decrement: 1 } } });
      return;
    }
    const appError = error instanceof AppError ? error : null;
    const failure = {
      userMessage: appError?.userMessage ?? "The job failed unexpectedly. The server log has the details.",
      reason: appError?.reason,
    };
    if (!appError) console.error(`[certdeck] job ${job.id} (${job.type}) failed`, error);
    const retryAt = nextRetryAt(appError, job.attempts, new Date());
    if (retryAt && handler) {
      await handler.onRetry?.(job, failure, retryAt).catch((problem) => console.error("[certdeck] onRetry", problem));
      await logJobEvent(job.id, "retry", `${failure.userMessage} Trying again ${formatDateTime(retryAt, displayTimeZone())}.`, { level: "warn" });
      await db.job.update({
        where: { id: job.id },
        data: {
          status: "queued",
          runAfter: retryAt,
          lockedBy: null,
          // A deferral by the rate-limit guard sent nothing: it does not use up an attempt.
          ...(appError?.code === "rate_limit_guard" ? { attempts: { decrement: 1 } } : {}),
        },
      });
      return;
    }
    // Record the failure on the certificate (and notify) before the job reads as finished, so
    // whoever sees "failed" also sees why.
    await handler?.onFailure(job, failure).catch((problem) => console.error("[certdeck] onFailure", problem));
    await logJobEvent(job.id, "done", failure.userMessage, { level: "error" });
    await db.job.update({
      where: { id: job.id },
      data: { status: "failed", finishedAt: new Date(), lockedBy: null, error: failure.userMessage },
    });
  }
}
