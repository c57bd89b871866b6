import { keysOf } from "@/lib/core/keys-of";

/**
 * The rate-limit guard's limits (rate-limit-guard.ts) an account can change, by their column on
 * the account: what the dashboard and the validation messages call them, the number used while
 * the column is empty (Let's Encrypt's limit) and the most an account may set.
 */
export const RATE_LIMITS = {
  ordersPer3HoursLimit: { label: "New orders per 3 hours", default: 300, max: 100_000 },
  failedValidationsPerHourLimit: { label: "Failed validations per name per hour", default: 5, max: 10_000 },
} as const satisfies Record<string, { label: string; default: number; max: number }>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** The limits in the order the dashboard shows them. */
export const RATE_LIMIT_NAMES = keysOf(RATE_LIMITS);

export type RateLimits = Record<RateLimitName, number>;

/** An account's limits: its own where it set one, else the default. */
export function rateLimitsOf(account: Record<RateLimitName, number | null>): RateLimits {
  return {
    ordersPer3HoursLimit: account.ordersPer3HoursLimit ?? RATE_LIMITS.ordersPer3HoursLimit.default,
    failedValidationsPerHourLimit: account.failedValidationsPerHourLimit ?? RATE_LIMITS.failedValidationsPerHourLimit.default,
  };
}

/** The limits in one line, named as the form names them: "300 new orders per 3 hours, 5 failed …". */
export function describeRateLimits(limits: RateLimits): string {
  return RATE_LIMIT_NAMES.map((name) => `${limits[name]} ${RATE_LIMITS[name].label.toLowerCase()}`).join(", ");
}
