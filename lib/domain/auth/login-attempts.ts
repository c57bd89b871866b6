import "server-only";
import { db } from "@/lib/data/client";
import { THROTTLE_WINDOW_MS, throttleDecision, type ThrottleDecision } from "@/lib/domain/auth/throttle";

const KEEP_ATTEMPTS_MS = 24 * 3600 * 1000;

/**
 * The address requestAddress() gives when no reverse proxy names the client. Every direct visitor
 * shares it, so a per-address limit on it would let anyone lock the administrator out with 20
 * wrong guesses; the per-user-name limit still applies.
 */
const UNKNOWN_IP = "unknown";

export interface LoginAttempt {
  /** The normalized user name the attempt is for. */
  username: string;
  /** The client's address (null when unknown). */
  ip: string | null;
  at: Date;
}

export type ThrottledOutcome<T> = { outcome: "passed"; value: T } | { outcome: "failed" } | { outcome: "throttled"; retryAfterMs: number };

/**
 * One password check under the sign-in throttle, the only way one is made: the limits for this
 * user name and address are checked, `check` runs only when they allow it (null = the password
 * was wrong), and the attempt is recorded, a refused one as a failure. Checking and recording
 * live here together so that they can become one transaction.
 */
export async function throttledPasswordCheck<T>(attempt: LoginAttempt, check: () => Promise<T | null>): Promise<ThrottledOutcome<T>> {
  const decision = await checkLoginThrottle(attempt.username, attempt.ip, attempt.at);
  if (!decision.allowed) {
    await recordLoginAttempt({ ...attempt, succeeded: false });
    return { outcome: "throttled", retryAfterMs: decision.retryAfterMs };
  }
  const value = await check();
  await recordLoginAttempt({ ...attempt, succeeded: value !== null });
  return value === null ? { outcome: "failed" } : { outcome: "passed", value };
}

/**
 * Whether one more attempt for this user name from this address may be checked. Per user name,
 * failures before the name's last successful sign-in do not count.
 */
async function checkLoginThrottle(username: string, ip: string | null, now: Date): Promise<ThrottleDecision> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const lastSuccess = await db.loginAttempt.findFirst({
    where: { username, succeeded: true, at: { gt: windowStart } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  const usernameFailures = await db.loginAttempt.findMany({
    where: { username, succeeded: false, at: { gt: lastSuccess?.at ?? windowStart } },
    select: { at: true },
  });
  const ipFailures =
    ip === null || ip === UNKNOWN_IP
      ? null
      : await db.loginAttempt.findMany({ where: { ip, succeeded: false, at: { gt: windowStart } }, select: { at: true } });
  return throttleDecision({
    usernameFailures: usernameFailures.map((row) => row.at),
    ipFailures: ipFailures?.map((row) => row.at) ?? null,
    now,
  });
}

async function recordLoginAttempt(attempt: LoginAttempt & { succeeded: boolean }): Promise<void> {
  await db.loginAttempt.create({
    data: { username: attempt.username.slice(0, 64), ip: (attempt.ip ?? UNKNOWN_IP).slice(0, 100), succeeded: attempt.succeeded, at: attempt.at },
  });
}

/** Attempts older than a day are of no use to the throttle; run on each sign-in. */
export async function pruneLoginAttempts(now = new Date()): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - KEEP_ATTEMPTS_MS) } } });
}
