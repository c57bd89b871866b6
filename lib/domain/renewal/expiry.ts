/**
 * When a certificate should be renewed and how urgent its expiry is. Pure functions, shared by
 * the job that stores a version, the list, the overview and the detail page.
 */
const DAY_MS = 24 * 3600 * 1000;
export const CRITICAL_DAYS = 7;

/**
 * The start of the renewal window: when one third of the lifetime remains, or half of it for
 * certificates shorter than 10 days (Let's Encrypt's guidance for 6-day certificates).
 */
export function renewalWindowStart(notBefore: Date, notAfter: Date): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const remainingFraction = lifetime < 10 * DAY_MS ? 1 / 2 : 1 / 3;
  return new Date(notAfter.getTime() - lifetime * remainingFraction);
}

/** red: expired or under 7 days; amber: inside the renewal window; green otherwise. */
export type ExpiryUrgency = "expired" | "critical" | "renewal-window" | "ok";

export function expiryUrgency(now: Date, notAfter: Date, renewAfter: Date | null): ExpiryUrgency {
  const remaining = notAfter.getTime() - now.getTime();
  if (remaining <= 0) return "expired";
  if (remaining < CRITICAL_DAYS * DAY_MS) return "critical";
  if (renewAfter && now >= renewAfter) return "renewal-window";
  return "ok";
}

/** Share of the validity period already used, 0..1 (for the detail page's progress bar). */
export function lifetimeUsed(now: Date, notBefore: Date, notAfter: Date): number {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  if (lifetime <= 0) return 1;
  return Math.min(1, Math.max(0, (now.getTime() - notBefore.getTime()) / lifetime));
}
