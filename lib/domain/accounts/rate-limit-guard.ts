/**
 * Keeps CertDeck's own retries from burning the CA's rate limits: it counts new orders per
 * account and failed validations per identifier, and refuses to send what would exceed a limit,
 * saying when it will be sent instead. Defaults are Let's Encrypt's numbers, editable per account
 * (rate-limits.ts).
 */
import { db, type Transaction } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { displayTimeZone } from "@/lib/core/env";
import { AppError } from "@/lib/core/app-error";
import { formatDateTime } from "@/lib/core/dates";
import { rateLimitsOf } from "@/lib/domain/accounts/rate-limits";

const HOUR_MS = 3600_000;
const ORDER_WINDOW_MS = 3 * HOUR_MS;

/** The account an order is placed with, and its limits (null = the default). */
export interface RateLimitedAccount {
  id: string;
  ordersPer3HoursLimit: number | null;
  failedValidationsPerHourLimit: number | null;
}

/** An order counted before it is sent (an AcmeRateEvent of kind "order"). */
export interface OrderReservation {
  id: number;
}

/**
 * Counts and reserves one new order for the account in one transaction, before the order is
 * sent: the order's event is written first, then the orders in the window (and the identifiers'
 * failed validations in the last hour) are counted with COUNT queries. Over a limit, the
 * transaction rolls back (nothing reserved) and AppError("rate_limit_guard") says when it will be
 * sent instead. Parallel jobs are therefore counted one after the other: with a limit of 10, the
 * eleventh reservation sees ten. The write comes first so that the transaction holds SQLite's
 * write lock from its first statement: a job in another process waits for it, then counts it.
 * (On PostgreSQL this transaction would need SERIALIZABLE isolation, or a lock on the account's
 * row, for the same guarantee.) The reservation stays as the order's event once the order is
 * placed; releaseOrder takes it back when the order could not be placed.
 */
export async function reserveOrder(account: RateLimitedAccount, identifiers: string[], now = new Date()): Promise<OrderReservation> {
  const accountId = account.id;
  const { ordersPer3HoursLimit: orderLimit, failedValidationsPerHourLimit: validationLimit } = rateLimitsOf(account);

  return db.$transaction(
    async (tx) => {
      const reservation = await tx.acmeRateEvent.create({ data: { accountId, kind: "order", at: now }, select: { id: true } });
      const earlierOrders: Prisma.AcmeRateEventWhereInput = {
        accountId,
        kind: "order",
        at: { gt: new Date(now.getTime() - ORDER_WINDOW_MS) },
        id: { not: reservation.id },
      };
      const orders = await tx.acmeRateEvent.count({ where: earlierOrders });
      if (orders >= orderLimit) {
        const freeAt = await freedAt(tx, earlierOrders, orders - orderLimit, ORDER_WINDOW_MS);
        throw refusal(`this account placed ${orders} orders in the last 3 hours (limit ${orderLimit})`, freeAt, now);
      }
      const recentFailures = { accountId, kind: "failed-validation", at: { gt: new Date(now.getTime() - HOUR_MS) } } satisfies Prisma.AcmeRateEventWhereInput;
      // Every identifier's count in one query (a certificate may have a hundred names).
      const failuresByIdentifier = await tx.acmeRateEvent.groupBy({
        by: ["identifier"],
        where: { ...recentFailures, identifier: { in: identifiers } },
        _count: { _all: true },
      });
      for (const identifier of identifiers) {
        const failures = failuresByIdentifier.find((group) => group.identifier === identifier)?._count._all ?? 0;
        if (failures >= validationLimit) {
          const freeAt = await freedAt(tx, { ...recentFailures, identifier }, failures - validationLimit, HOUR_MS);
          throw refusal(`${identifier} failed validation ${failures} times in the last hour (limit ${validationLimit})`, freeAt, now);
        }
      }
      return { id: reservation.id };
    },
    // Many jobs may reserve at once; each transaction is a few short statements.
    { maxWait: 30_000, timeout: 30_000 },
  );
}

/** Takes a reservation back: the order was not placed (the CA refused it, or could not be reached). */
export async function releaseOrder(reservation: OrderReservation): Promise<void> {
  await db.acmeRateEvent.deleteMany({ where: { id: reservation.id } });
}

/** When one more is allowed: the (skip+1)-th oldest event in the window leaves it. */
async function freedAt(tx: Transaction, where: Prisma.AcmeRateEventWhereInput, skip: number, windowMs: number): Promise<Date> {
  const oldest = await tx.acmeRateEvent.findFirst({ where, orderBy: { at: "asc" }, skip, select: { at: true } });
  return new Date((oldest?.at ?? new Date()).getTime() + windowMs);
}

function refusal(what: string, freeAt: Date, now: Date): AppError {
  return new AppError(
    "rate_limit_guard",
    `Not sent to the CA: ${what}, and one more would hit the CA's rate limit. Scheduled for ${formatDateTime(freeAt, displayTimeZone())}. Fix the cause shown in the log meanwhile; "Test renewal" uses the staging CA and its higher limits.`,
    { reason: "rate-limit-guard", isRetryable: true, retryAfterSeconds: Math.max(1, Math.ceil((freeAt.getTime() - now.getTime()) / 1000)) },
  );
}

export async function recordFailedValidation(accountId: string, identifier: string, now = new Date()): Promise<void> {
  await db.acmeRateEvent.create({ data: { accountId, kind: "failed-validation", identifier, at: now } });
}

/** Forgets events older than the longest window, so the table stays small. */
export async function pruneRateEvents(now = new Date()): Promise<void> {
  await db.acmeRateEvent.deleteMany({ where: { at: { lt: new Date(now.getTime() - ORDER_WINDOW_MS) } } });
}
