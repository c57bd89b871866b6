import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { ACTIVE_JOB_STATUSES, JOB_TYPE_LABELS, type CertificateJobType, type JobOptionsOf, type JobType } from "@/lib/data/queue/job-types";
import { wakeJobRunner } from "@/lib/data/queue/wake";
import { logJobEvent } from "@/lib/data/queue/job-log";
import { publishJobStatus } from "@/lib/data/queue/job-updates";

export interface EnqueuedJob {
  jobId: string;
  /** false when an equivalent job was already queued or running and no new one was made. */
  isNew: boolean;
}

/**
 * Enqueues an issue or renew job for a certificate. A partial unique index allows at most one
 * queued or running job per certificate, so a double click or a race with the scheduler returns
 * the job that is already there instead of ordering twice.
 */
export async function enqueueCertificateJob<Type extends CertificateJobType>(
  certificateId: string,
  type: Type,
  options: {
    reason?: string;
    jobOptions?: JobOptionsOf<Type>;
    /**
     * Held: queued to run only after this many ms, and the runner is not woken, so the caller can
     * still check something and then start it (releaseHeldJob) or take it back (discardHeldJob).
     * Holding it keeps the place of the one active job per certificate meanwhile; should the
     * caller die in between, the job simply runs once the time is up.
     */
    holdMs?: number;
  } = {},
): Promise<EnqueuedJob> {
  try {
    const jobOptions = options.jobOptions && Object.keys(options.jobOptions).length > 0 ? JSON.stringify(options.jobOptions) : null;
    const runAfter = options.holdMs ? new Date(Date.now() + options.holdMs) : undefined;
    const job = await db.job.create({ data: { type, certificateId, options: jobOptions, ...(runAfter ? { runAfter } : {}) }, select: { id: true } });
    const message = `${JOB_TYPE_LABELS[type]} queued${options.reason ? `: ${options.reason}` : ""}`;
    await logJobEvent(job.id, "queue", message);
    if (!options.holdMs) wakeJobRunner();
    return { jobId: job.id, isNew: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const active = await db.job.findFirst({
      where: { certificateId, status: { in: ACTIVE_JOB_STATUSES } },
      select: { id: true },
    });
    if (!active) throw error;
    return { jobId: active.id, isNew: false };
  }
}

/** Starts a held job now (see enqueueCertificateJob's holdMs). */
export async function releaseHeldJob(jobId: string, now = new Date()): Promise<void> {
  await db.job.updateMany({ where: { id: jobId, status: "queued" }, data: { runAfter: now } });
  wakeJobRunner();
}

/** Takes a held job back before it ran (see enqueueCertificateJob's holdMs); false when it had started already. */
export async function discardHeldJob(jobId: string): Promise<boolean> {
  const { count } = await db.job.deleteMany({ where: { id: jobId, status: "queued", attempts: 0 } });
  return count === 1;
}

export async function enqueueAccountJob(accountId: string, type: Extract<JobType, "register-account">): Promise<EnqueuedJob> {
  const job = await db.job.create({ data: { type, accountId }, select: { id: true } });
  await logJobEvent(job.id, "queue", "Registration queued");
  wakeJobRunner();
  return { jobId: job.id, isNew: true };
}

/**
 * A job row as claimed, unparsed: the runner (lib/jobs/handlers/define-job.ts) checks its type, options
 * and state against the job's schemas before a handler sees it.
 */
export interface ClaimedJob {
  id: string;
  type: string;
  certificateId: string | null;
  accountId: string | null;
  /** JSON, or null before the first step was saved. */
  state: string | null;
  /** JSON, or null when queued without options. */
  options: string | null;
  attempts: number;
  resumedAt: Date | null;
}

/**
 * Claims the oldest due job for `workerId` in one statement: the UPDATE picks the job and marks
 * it running under SQLite's write lock, so when workers race, each job goes to exactly one.
 */
export async function claimNextJob(workerId: string, now = new Date()): Promise<ClaimedJob | null> {
  const [claimed] = await db.$queryRaw<
    Array<Omit<ClaimedJob, "attempts" | "resumedAt"> & { attempts: number | bigint; resumedAt: Date | number | string | null }>
  >`
    UPDATE "Job"
    SET "status" = 'running', "lockedBy" = ${workerId}, "lockedAt" = ${now}, "startedAt" = ${now}, "attempts" = "attempts" + 1
    WHERE "id" = (
      SELECT "id" FROM "Job" WHERE "status" = 'queued' AND "runAfter" <= ${now} ORDER BY "runAfter" ASC, "createdAt" ASC LIMIT 1
    ) AND "status" = 'queued'
    RETURNING "id", "type", "certificateId", "accountId", "state", "options", "attempts", "resumedAt"`;
  if (!claimed) return null;
  publishJobStatus(claimed.id, "running");
  return { ...claimed, attempts: Number(claimed.attempts), resumedAt: claimed.resumedAt === null ? null : new Date(claimed.resumedAt) };
}

/**
 * Queues a job parked as "waiting" again, after the operator acted, and records when on the job
 * row (`resumedAt`): the job compares that with when it asked. Its saved state is the job's own
 * and is not touched here. Returns false when the job was not waiting (a double click, or it was
 * already resumed).
 */
export async function resumeWaitingJob(jobId: string, message: string, now = new Date()): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id: jobId, status: "waiting" },
    data: { status: "queued", runAfter: now, resumedAt: now },
  });
  if (count !== 1) return false;
  publishJobStatus(jobId, "queued");
  await logJobEvent(jobId, "queue", message);
  wakeJobRunner();
  return true;
}

/** When the next queued job becomes due, or null when none is queued. */
export async function nextQueuedJobDueAt(): Promise<Date | null> {
  const next = await db.job.findFirst({
    where: { status: "queued" },
    orderBy: { runAfter: "asc" },
    select: { runAfter: true },
  });
  return next?.runAfter ?? null;
}

/**
 * Jobs left "running" by a process that is gone (a crash or a restart) go back to the queue.
 * Their saved state makes them resume after the last finished step instead of starting over.
 */
export async function requeueInterruptedJobs(currentWorkerId: string): Promise<string[]> {
  const interrupted = await db.job.findMany({
    where: { status: "running", NOT: { lockedBy: currentWorkerId } },
    select: { id: true },
  });
  for (const { id } of interrupted) {
    await db.job.update({ where: { id }, data: { status: "queued", lockedBy: null, lockedAt: null } });
    publishJobStatus(id, "queued");
    await logJobEvent(id, "queue", "The server stopped while this job ran; it resumes from its last finished step", { level: "warn" });
  }
  return interrupted.map(({ id }) => id);
}

/** A running job's lease: its worker renews it while the job runs; a lapsed lease means the worker died. */
export const JOB_LEASE_MS = 2 * 60_000;

export async function renewJobLeases(workerId: string, now = new Date()): Promise<void> {
  await db.job.updateMany({ where: { status: "running", lockedBy: workerId }, data: { lockedAt: now } });
}

/** Jobs whose worker stopped renewing their lease (another process that crashed) go back to the queue. */
export async function requeueExpiredLeases(workerId: string, now = new Date()): Promise<string[]> {
  const expired = await db.job.findMany({
    where: { status: "running", NOT: { lockedBy: workerId }, lockedAt: { lt: new Date(now.getTime() - JOB_LEASE_MS) } },
    select: { id: true },
  });
  for (const { id } of expired) {
    const { count } = await db.job.updateMany({
      where: { id, status: "running", lockedAt: { lt: new Date(now.getTime() - JOB_LEASE_MS) } },
      data: { status: "queued", lockedBy: null, lockedAt: null },
    });
    if (count === 1) {
      publishJobStatus(id, "queued");
      await logJobEvent(id, "queue", "The worker running this job stopped answering; it resumes from its last finished step", { level: "warn" });
    }
  }
  return expired.map(({ id }) => id);
}
