import { formatDateTime } from "@/lib/core/dates";

export interface RenewalScheduleFacts {
  renewAfter: Date | null;
  renewReason: string | null;
  renewBeforeDays: number | null;
  ariWindowStart: Date | null;
  ariWindowEnd: Date | null;
  retryNotBefore: Date | null;
  consecutiveFailures: number;
}

/**
 * When the next automatic renewal happens and why, in one sentence: "ARI window opens Tue, 1 Dec
 * 2026, 03:12 UTC", "1/3 of lifetime left on ...". Null when nothing is scheduled.
 */
export function describeNextRenewal(facts: RenewalScheduleFacts, now: Date, timeZone: string): string | null {
  if (!facts.renewAfter) return null;
  if (facts.retryNotBefore && facts.retryNotBefore > now) {
    const failures = facts.consecutiveFailures === 1 ? "1 failed attempt" : `${facts.consecutiveFailures} failed attempts in a row`;
    return `retrying ${formatDateTime(facts.retryNotBefore, timeZone)} after ${failures}`;
  }
  const at = formatDateTime(facts.renewAfter, timeZone);
  const isDue = facts.renewAfter <= now;
  switch (facts.renewReason) {
    case "ari":
      if (facts.ariWindowStart && facts.ariWindowStart > now) return `ARI window opens ${formatDateTime(facts.ariWindowStart, timeZone)}; renewal at ${at}`;
      return isDue ? "due now: inside the CA's ARI window" : `inside the CA's ARI window; renewal at ${at}`;
    case "override":
      return isDue ? `due now: ${facts.renewBeforeDays} days before expiry` : `${facts.renewBeforeDays} days before expiry, on ${at}`;
    default:
      return isDue ? "due now: renewal window reached" : `renewal window (1/3 of lifetime left, half for short-lived certificates) opens ${at}`;
  }
}
