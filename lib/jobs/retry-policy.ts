import type { AppError } from "@/lib/core/app-error";

/** Attempts a job gets for transient failures (network, CA 5xx, badNonce) before it fails. */
export const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 15_000;

/**
 * When to run a failed job again, or null to stop and wait for the user. Transient failures
 * retry with exponential backoff (15 s, 30 s, 1 min, 2 min) and ±25 % jitter, or at the CA's
 * Retry-After; a longer outage is left to the scheduler's hourly backoff. Permanent ones (unauthorized, dns, caa, rejectedIdentifier, malformed ...) stop.
 * The rate-limit guard's deferrals do not use up attempts: nothing was sent.
 */
export function nextRetryAt(error: AppError | null, attempts: number, now: Date, random: () => number = Math.random): Date | null {
  if (!error?.isRetryable) return null;
  if (error.code === "rate_limit_guard") return new Date(now.getTime() + (error.retryAfterSeconds ?? 60) * 1000);
  if (attempts >= MAX_ATTEMPTS) return null;
  if (error.retryAfterSeconds !== undefined) return new Date(now.getTime() + error.retryAfterSeconds * 1000);
  const exponential = BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1);
  const jitter = 0.75 + random() * 0.5;
  return new Date(now.getTime() + Math.round(exponential * jitter));
}
