/**
 * Sign-in throttling, the arithmetic only (lib/domain/auth/login-attempts.ts feeds it from the
 * LoginAttempt table): at most 5 failed attempts per user name and 20 per client address in a
 * sliding 15-minute window. Beyond that the password is not even checked.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_IP = 20;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * When `failures` (times of failed attempts, any order) reach `limit` inside the window, the
 * milliseconds until enough of them have aged out for one more attempt; else 0.
 */
export function waitBeforeNextAttempt(failures: readonly Date[], limit: number, now: Date, windowMs = THROTTLE_WINDOW_MS): number {
  const windowStart = now.getTime() - windowMs;
  const recent = failures
    .map((at) => at.getTime())
    .filter((at) => at > windowStart && at <= now.getTime())
    .sort((a, b) => a - b);
  if (recent.length < limit) return 0;
  // Allowed again once only limit - 1 remain: when the (recent.length - limit + 1)-th oldest leaves.
  return recent[recent.length - limit] + windowMs - now.getTime();
}

export function throttleDecision(input: {
  usernameFailures: readonly Date[];
  /** null when the client's address is unknown (see login-attempts.ts). */
  ipFailures: readonly Date[] | null;
  now: Date;
}): ThrottleDecision {
  const wait = Math.max(
    waitBeforeNextAttempt(input.usernameFailures, MAX_FAILURES_PER_USERNAME, input.now),
    input.ipFailures ? waitBeforeNextAttempt(input.ipFailures, MAX_FAILURES_PER_IP, input.now) : 0,
  );
  return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
}

/** The one message for every refusal, whichever limit was reached. */
export function throttledMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
