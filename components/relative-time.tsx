import { formatDateTime, formatRelative } from "@/lib/core/dates";

/** "3 hours ago", "in 2 days": the relative time, with the exact date and time zone on hover. */
export function RelativeTime({ date, now, timeZone, className }: { date: Date; now: Date; timeZone: string; className?: string }) {
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date, timeZone)} className={className}>
      {formatRelative(date, now)}
    </time>
  );
}
