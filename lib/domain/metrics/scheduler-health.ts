/**
 * What the renewal scheduler (lib/jobs/scheduler.ts) reports about its ticks, for /metrics.
 * Kept on globalThis: Next.js may load this module once for instrumentation (which starts the
 * scheduler) and again for the route handler, in the same process.
 */
export interface SchedulerHealth {
  intervalMs: number;
  startedAt: Date;
  lastTickStartedAt: Date | null;
  lastTickFinishedAt: Date | null;
  lastTickDurationMs: number | null;
  ticks: { succeeded: number; failed: number };
}

const globalForScheduler = globalThis as unknown as { certdeckSchedulerHealth?: SchedulerHealth };

export function markSchedulerStarted(intervalMs: number, now = new Date()): void {
  globalForScheduler.certdeckSchedulerHealth = {
    intervalMs,
    startedAt: now,
    lastTickStartedAt: null,
    lastTickFinishedAt: null,
    lastTickDurationMs: null,
    ticks: { succeeded: 0, failed: 0 },
  };
}

export function recordSchedulerTick(tick: { startedAt: Date; finishedAt: Date; isSuccess: boolean }): void {
  const health = globalForScheduler.certdeckSchedulerHealth;
  if (!health) return;
  health.lastTickStartedAt = tick.startedAt;
  health.lastTickFinishedAt = tick.finishedAt;
  health.lastTickDurationMs = tick.finishedAt.getTime() - tick.startedAt.getTime();
  health.ticks[tick.isSuccess ? "succeeded" : "failed"] += 1;
}

/** The scheduler of this process, or null when none was started here. */
export function readSchedulerHealth(): SchedulerHealth | null {
  return globalForScheduler.certdeckSchedulerHealth ?? null;
}

/**
 * How far behind its schedule the scheduler is: the time since the last tick finished (or since
 * start, before the first one) beyond one interval. 0 while it keeps time; grows without bound
 * when a tick hangs or the timer stops, which is what an alert wants to see.
 */
export function schedulerLagSeconds(health: SchedulerHealth, now = new Date()): number {
  const reference = health.lastTickFinishedAt ?? health.startedAt;
  return Math.max(0, now.getTime() - reference.getTime() - health.intervalMs) / 1000;
}
