/**
 * When to renew, as pure functions of the certificate and an injected clock and random source.
 *
 * Order of precedence: a per-certificate "N days before expiry" override, else the CA's ARI
 * window (RFC 9773: a random moment inside it; a window already past means now), else when one
 * third of the lifetime remains (half for certificates shorter than 10 days).
 */
import { renewalWindowStart } from "@/lib/domain/renewal/expiry";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export type RenewalReason = "override" | "ari" | "lifetime";

export interface RenewalPlan {
  renewAt: Date;
  reason: RenewalReason;
}

export interface RenewalPlanInput {
  notBefore: Date;
  notAfter: Date;
  renewBeforeDays?: number | null;
  ariWindow?: { start: Date; end: Date } | null;
  /** The moment previously chosen inside the same ARI window, kept so it does not move on every poll. */
  previousRenewAt?: Date | null;
  now: Date;
  random?: () => number;
}

export function planRenewal(input: RenewalPlanInput): RenewalPlan {
  if (input.renewBeforeDays) {
    return { renewAt: new Date(input.notAfter.getTime() - input.renewBeforeDays * DAY_MS), reason: "override" };
  }
  const window = input.ariWindow;
  if (window && window.end > window.start) {
    if (window.end <= input.now) return { renewAt: input.now, reason: "ari" };
    const previous = input.previousRenewAt;
    if (previous && previous >= window.start && previous <= window.end) return { renewAt: previous, reason: "ari" };
    const start = Math.max(window.start.getTime(), input.now.getTime());
    const random = input.random ?? Math.random;
    return { renewAt: new Date(start + random() * (window.end.getTime() - start)), reason: "ari" };
  }
  return { renewAt: renewalWindowStart(input.notBefore, input.notAfter), reason: "lifetime" };
}

/** The fields of a certificate row its next plan depends on, besides its current version and its ARI window. */
export const RENEWAL_TIMING_FIELDS = { renewBeforeDays: true, renewAfter: true, renewReason: true } as const;

interface RenewalTiming {
  renewBeforeDays: number | null;
  renewAfter: Date | null;
  renewReason: string | null;
}

/**
 * A certificate's plan for its current version, given the ARI window known now: a moment it
 * already chose inside an ARI window stays chosen.
 */
export function replanCertificate(
  certificate: RenewalTiming,
  version: { notBefore: Date; notAfter: Date },
  ariWindow: { start: Date; end: Date } | null,
  now: Date,
): RenewalPlan {
  return planRenewal({
    notBefore: version.notBefore,
    notAfter: version.notAfter,
    renewBeforeDays: certificate.renewBeforeDays,
    ariWindow,
    previousRenewAt: certificate.renewReason === "ari" ? certificate.renewAfter : null,
    now,
  });
}

/** When to poll renewalInfo again: the CA's Retry-After clamped to 1 minute .. 1 day, and at least twice a day. */
export function nextAriCheck(now: Date, retryAfterSeconds: number | null): Date {
  const requested = retryAfterSeconds === null ? 6 * HOUR_MS : retryAfterSeconds * 1000;
  const clamped = Math.min(Math.max(requested, MINUTE_MS), DAY_MS);
  return new Date(now.getTime() + Math.min(clamped, 12 * HOUR_MS));
}

/** After the n-th failed automatic renewal in a row: 1 h, 2 h, 4 h ... capped at 24 h; a later Retry-After wins. */
export function failureBackoff(consecutiveFailures: number, now: Date, retryAfterSeconds: number | null = null): Date {
  const exponent = Math.max(0, consecutiveFailures - 1);
  const backoff = Math.min(HOUR_MS * 2 ** Math.min(exponent, 10), DAY_MS);
  const retryAfter = retryAfterSeconds === null ? 0 : retryAfterSeconds * 1000;
  return new Date(now.getTime() + Math.max(backoff, retryAfter));
}
