import { getSetting } from "@/lib/data/settings";
import { displayTimeZone } from "@/lib/core/env";
import { markSchedulerStarted, recordSchedulerTick } from "@/lib/domain/metrics/scheduler-health";
import { onJobEnded } from "@/lib/data/queue/wake";
import { enqueueDeploysInWindow, isRenewalAllowedNow } from "@/lib/domain/renewal/window-gates";
import { enqueueDueRenewals } from "@/lib/domain/renewal/enqueue-due-renewals";
import { enqueueDueDeployRetries } from "@/lib/domain/deploy/targets/deploy-retries";
import { refreshRenewalInfo } from "@/lib/domain/renewal/refresh-renewal-info";
import { sendExpiryWarnings } from "@/lib/domain/notifications/expiry-warnings";
import { pruneRateEvents } from "@/lib/domain/accounts/rate-limit-guard";
import { probeDueEndpoints } from "@/lib/domain/endpoints/probe-endpoint";
import { pruneOrphanTargetEndpoints } from "@/lib/domain/endpoints/target-endpoints";
import { syncEndpointsOfChangedTargets } from "@/lib/domain/deploy/targets/target-endpoint-sync";

export interface SchedulerTickResult {
  renewalInfoChecked: number;
  renewalsQueued: string[];
  deploysQueued: string[];
  expiryWarningsSent: number;
}

/** Queues due renewals into the free renewal slots (renewalConcurrency minus those queued or running). */
async function queueDueRenewals(now: Date): Promise<string[]> {
  return enqueueDueRenewals({
    now,
    concurrency: await getSetting("renewalConcurrency"),
    isAllowedNow: (certificateId) => isRenewalAllowedNow(certificateId, now, displayTimeZone()),
  });
}

/**
 * One pass of the scheduler: refresh ARI windows, queue due renewals (bounded by the
 * renewalConcurrency setting), queue deploys whose maintenance window has opened and deploy
 * targets due for another attempt, and send
 * expiry warnings. Each step is idempotent, so overlapping or repeated ticks are harmless.
 */
export async function runSchedulerTick(now = new Date()): Promise<SchedulerTickResult> {
  const renewalInfoChecked = await refreshRenewalInfo(now);
  const renewalsQueued = await queueDueRenewals(now);
  const deploysQueued = [...(await enqueueDeploysInWindow(now)), ...(await enqueueDueDeployRetries(now))];
  const expiryWarningsSent = await sendExpiryWarnings(now);
  await pruneRateEvents(now);
  return { renewalInfoChecked, renewalsQueued, deploysQueued, expiryWarningsSent };
}

/** Endpoints probed per batch of the endpoint sweep (4 at a time). */
const ENDPOINT_BATCH = 16;
/** A sweep takes further batches while endpoints are due, for at most this long. */
const ENDPOINT_SWEEP_BUDGET_MS = 45_000;

/**
 * One pass of the endpoint watch: removes automatic endpoints whose certificate is gone, syncs
 * those of targets whose verify address changed, then probes the endpoints that are due, a batch at a time, while batches come back full and the
 * budget lasts (a backlog after a restart drains in minutes, and the next pass goes on). Runs
 * beside the tick, not inside it: probes wait on the network, renewals must not wait on them.
 */
export async function runEndpointSweep(now = new Date()): Promise<string[]> {
  await pruneOrphanTargetEndpoints();
  await syncEndpointsOfChangedTargets(now);
  const probed: string[] = [];
  const started = Date.now();
  for (;;) {
    const batch = await probeDueEndpoints({ now, limit: ENDPOINT_BATCH });
    probed.push(...batch);
    if (batch.length < ENDPOINT_BATCH || Date.now() - started > ENDPOINT_SWEEP_BUDGET_MS) return probed;
  }
}

export interface Scheduler {
  stop(): void;
}

/**
 * Ticks every `intervalMs` (default one minute) in the server process; a tick never overlaps the
 * previous one. The endpoint sweep runs on the same beat, beside the tick (runEndpointSweep). Between ticks, each renewal that ends frees a slot that is filled at once, so a
 * hundred due certificates renew back to back rather than `renewalConcurrency` per minute.
 */
export function startScheduler(options: { intervalMs?: number } = {}): Scheduler {
  const intervalMs = options.intervalMs ?? 60_000;
  markSchedulerStarted(intervalMs);
  let isTicking = false;
  const tick = async () => {
    if (isTicking) return;
    isTicking = true;
    const startedAt = new Date();
    let isSuccess = false;
    try {
      await runSchedulerTick(startedAt);
      isSuccess = true;
    } catch (error) {
      console.error("[certdeck] scheduler tick failed", error);
    } finally {
      // For /metrics: last tick time, duration and lag (lib/domain/metrics/scheduler-health.ts).
      recordSchedulerTick({ startedAt, finishedAt: new Date(), isSuccess });
      isTicking = false;
    }
  };

  let isToppingUp = false;
  let topUpAgain = false;
  const topUp = async () => {
    if (isToppingUp) {
      topUpAgain = true;
      return;
    }
    isToppingUp = true;
    try {
      do {
        topUpAgain = false;
        await queueDueRenewals(new Date());
      } while (topUpAgain);
    } catch (error) {
      console.error("[certdeck] queueing the next due renewal failed", error);
    } finally {
      isToppingUp = false;
    }
  };
  const stopListening = onJobEnded((type) => {
    if (type === "renew") void topUp();
  });

  let isSweeping = false;
  const sweep = async () => {
    if (isSweeping) return;
    isSweeping = true;
    try {
      await runEndpointSweep();
    } catch (error) {
      console.error("[certdeck] endpoint sweep failed", error);
    } finally {
      isSweeping = false;
    }
  };

  const timer = setInterval(() => {
    void tick();
    void sweep();
  }, intervalMs);
  timer.unref();
  void tick();
  void sweep();
  return {
    stop: () => {
      clearInterval(timer);
      stopListening();
    },
  };
}
