import { db } from "@/lib/data/client";
import { displayTimeZone } from "@/lib/core/env";
import { AppError } from "@/lib/core/app-error";
import { formatDateTime } from "@/lib/core/dates";

/**
 * Keeps CertDeck's own retries from burning the CA's rate limits: it counts new orders per
 * account and failed validations per identifier, and refuses to send what would exceed a limit,
 * saying when it will be sent instead. Defaults are Let's Encrypt's numbers, editable per account.
 */
export const DEFAULT_RATE_LIMITS = { ordersPer3Hours: 300, failedValidationsPerHour: 5 } as const;

const HOUR_MS = 3600_000;
const ORDER_WINDOW_MS = 3 * HOUR_MS;

export async function assertWithinRateLimits(accountId: string, identifiers: string[], now = new Date()): Promise<void> {
  const account = await db.acmeAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { ordersPer3HoursLimit: true, failedValidationsPerHourLimit: true },
  });
  const orderLimit = account.ordersPer3HoursLimit ?? DEFAULT_RATE_LIMITS.ordersPer3Hours;
  const validationLimit = account.failedValidationsPerHourLimit ?? DEFAULT_RATE_LIMITS.failedValidationsPerHour;

  const orders = await db.acmeRateEvent.findMany({
    where: { accountId, kind: "order", at: { gt: new Date(now.getTime() - ORDER_WINDOW_MS) } },
    orderBy: { at: "asc" },
    select: { at: true },
  });
  if (orders.length >= orderLimit) {
    const freeAt = new Date(orders[orders.length - orderLimit].at.getTime() + ORDER_WINDOW_MS);
    throw refusal(`this account placed ${orders.length} orders in the last 3 hours (limit ${orderLimit})`, freeAt, now);
  }
  for (const identifier of identifiers) {
    const failures = await db.acmeRateEvent.findMany({
      where: { accountId, kind: "failed-validation", identifier, at: { gt: new Date(now.getTime() - HOUR_MS) } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    if (failures.length >= validationLimit) {
      const freeAt = new Date(failures[failures.length - validationLimit].at.getTime() + HOUR_MS);
      throw refusal(`${identifier} failed validation ${failures.length} times in the last hour (limit ${validationLimit})`, freeAt, now);
    }
  }
}

function refusal(what: string, freeAt: Date, now: Date): AppError {
  return new AppError(
    "rate_limit_guard",
    `Not sent to the CA: ${what}, and one more would hit the CA's rate limit. Scheduled for ${formatDateTime(freeAt, displayTimeZone())}. Fix the cause shown in the log meanwhile; "Test renewal" uses the staging CA and its higher limits.`,
    { reason: "rate-limit-guard", isRetryable: true, retryAfterSeconds: Math.max(1, Math.ceil((freeAt.getTime() - now.getTime()) / 1000)) },
  );
}

export async function recordOrderPlaced(accountId: string, now = new Date()): Promise<void> {
  await db.acmeRateEvent.create({ data: { accountId, kind: "order", at: now } });
}

export async function recordFailedValidation(accountId: string, identifier: string, now = new Date()): Promise<void> {
  await db.acmeRateEvent.create({ data: { accountId, kind: "failed-validation", identifier, at: now } });
}

/** Forgets events older than the longest window, so the table stays small. */
export async function pruneRateEvents(now = new Date()): Promise<void> {
  await db.acmeRateEvent.deleteMany({ where: { at: { lt: new Date(now.getTime() - ORDER_WINDOW_MS) } } });
}
