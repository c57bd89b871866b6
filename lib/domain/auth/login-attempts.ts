import "server-only";
import { db, type Transaction } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { MAX_FAILURES_PER_IP, MAX_FAILURES_PER_USERNAME, THROTTLE_WINDOW_MS, throttleDecision, type ThrottleDecision } from "@/lib/domain/auth/throttle";

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
 * One password check under the sign-in throttle, the only way one is made. The attempt is
 * reserved before the password is checked: one transaction writes it as a failure and counts the
 * failures before it for this user name and address. `check` (scrypt; null = the password was
 * wrong) runs only when the limits allow the reserved attempt, which is marked as a success
 * afterwards if it was one. So parallel attempts are counted one after the other: of 12 wrong
 * passwords sent at once for one user name, exactly 5 are checked.
 *
 * Why this is safe across processes too: the reservation's INSERT comes first, so the
 * transaction holds SQLite's write lock from its first statement and a second process's
 * reservation waits (busy timeout) until this one is committed, then counts it. A second
 * instance on PostgreSQL would run the same transaction at SERIALIZABLE isolation (or lock the
 * user name's row first): under READ COMMITTED two inserts would not see each other.
 * A refused attempt stays recorded as a failure, as before; an attempt whose check throws stays
 * a failure too.
 */
export async function throttledPasswordCheck<T>(attempt: LoginAttempt, check: () => Promise<T | null>): Promise<ThrottledOutcome<T>> {
  const reservation = await reserveLoginAttempt(attempt);
  if (!reservation.allowed) return { outcome: "throttled", retryAfterMs: reservation.retryAfterMs };
  const value = await check();
  if (value === null) return { outcome: "failed" };
  await db.loginAttempt.update({ where: { id: reservation.id }, data: { succeeded: true } });
  return { outcome: "passed", value };
}

type Reservation = { allowed: true; id: number } | { allowed: false; retryAfterMs: number };

async function reserveLoginAttempt(attempt: LoginAttempt): Promise<Reservation> {
  return db.$transaction(
    async (tx) => {
      const row = await tx.loginAttempt.create({
        data: { username: attempt.username.slice(0, 64), ip: (attempt.ip ?? UNKNOWN_IP).slice(0, 100), succeeded: false, at: attempt.at },
        select: { id: true },
      });
      const decision = await checkLoginThrottle(tx, row.id, attempt);
      return decision.allowed ? { allowed: true, id: row.id } : decision;
    },
    { maxWait: 30_000, timeout: 30_000 },
  );
}

/**
 * Whether the attempt `ownId` may be checked: the failures before it (other attempts, those
 * being checked right now included) for its user name and address. Per user name, failures
 * before the name's last successful sign-in do not count. Only the most recent `limit` failures
 * are read: they decide how long to wait. An attempt written by a parallel request with a
 * slightly later time than this one's counts as happening now.
 */
async function checkLoginThrottle(tx: Transaction, ownId: number, { username, ip, at: now }: LoginAttempt): Promise<ThrottleDecision> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const lastSuccess = await tx.loginAttempt.findFirst({
    where: { username, succeeded: true, at: { gt: windowStart } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  const recentFailures = (where: Prisma.LoginAttemptWhereInput, limit: number) =>
    tx.loginAttempt
      .findMany({ where: { ...where, id: { not: ownId }, succeeded: false }, orderBy: { at: "desc" }, take: limit, select: { at: true } })
      .then((rows) => rows.map((row) => (row.at > now ? now : row.at)));
  const usernameFailures = await recentFailures({ username, at: { gt: lastSuccess?.at ?? windowStart } }, MAX_FAILURES_PER_USERNAME);
  const ipFailures = ip === null || ip === UNKNOWN_IP ? null : await recentFailures({ ip, at: { gt: windowStart } }, MAX_FAILURES_PER_IP);
  return throttleDecision({ usernameFailures, ipFailures, now });
}

/** Attempts older than a day are of no use to the throttle; run on each sign-in. */
export async function pruneLoginAttempts(now = new Date()): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - KEEP_ATTEMPTS_MS) } } });
}
