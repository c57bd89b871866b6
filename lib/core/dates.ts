/**
 * Date formatting for the UI. Every absolute date names its time zone, which is the server's
 * (lib/core/env.ts displayTimeZone), so what the page says matches the server's logs and cron.
 * Safe to import from client components: no server-only imports.
 */
export function formatDateTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

export function formatTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(date);
}

export function formatDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "short", day: "numeric" }).format(date);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["day", 24 * 3600 * 1000],
  ["hour", 3600 * 1000],
  ["minute", 60 * 1000],
  ["second", 1000],
];

/** "in 23 days", "in 5 hours", "3 days ago": the largest whole unit. */
export function formatRelative(date: Date, now: Date): string {
  const delta = date.getTime() - now.getTime();
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size || unit === "second") return format.format(Math.trunc(delta / size), unit);
  }
  return format.format(0, "second");
}

/** "expires in 23 days" / "expired 2 days ago". */
export function formatExpiryCountdown(notAfter: Date, now: Date): string {
  return notAfter.getTime() > now.getTime() ? `expires ${formatRelative(notAfter, now)}` : `expired ${formatRelative(notAfter, now)}`;
}
