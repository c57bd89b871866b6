import { EventEmitter } from "node:events";

/**
 * In-process signal from whoever enqueues a job to the runner, so a new job starts at once
 * instead of on the next poll. Kept on globalThis because Next.js may load this module once per
 * bundle (instrumentation and the app routes), and both must share one emitter.
 */
const globalForWake = globalThis as unknown as { certdeckJobWake?: EventEmitter };
const emitter = (globalForWake.certdeckJobWake ??= new EventEmitter());

export function wakeJobRunner(): void {
  emitter.emit("wake");
}

export function onJobRunnerWake(listener: () => void): () => void {
  emitter.on("wake", listener);
  return () => emitter.off("wake", listener);
}

/**
 * Signal from the runner that a job ended (finished, failed, parked or queued for a retry), so
 * the scheduler can queue the next due renewal at once instead of on its next tick.
 */
export function announceJobEnded(type: string): void {
  emitter.emit("ended", type);
}

export function onJobEnded(listener: (type: string) => void): () => void {
  emitter.on("ended", listener);
  return () => emitter.off("ended", listener);
}
