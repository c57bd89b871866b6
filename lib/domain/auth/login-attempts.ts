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

/**
 * Whether one more attempt for this user name from this address may be checked. Per user name,
 * failures before the name's last successful sign-in do not count.
 */
export async function checkLoginThrottle(username: string, ip: string | null, now = new Date()): Promise<ThrottleDecision> {
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

export async function recordLoginAttempt(attempt: { username: string; ip: string | null; succeeded: boolean; at?: Date }): Promise<void> {
  await db.loginAttempt.create({
    data: { username: attempt.username.slice(0, 64), ip: (attempt.ip ?? UNKNOWN_IP).slice(0, 100), succeeded: attempt.succeeded, at: attempt.at ?? new Date() },
  });
}

/** Attempts older than a day are of no use to the throttle; run on each sign-in. */
export async function pruneLoginAttempts(now = new Date()): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - KEEP_ATTEMPTS_MS) } } });
}
