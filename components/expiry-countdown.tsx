import { expiryUrgency } from "@/lib/domain/renewal/expiry";
import { formatDateTime, formatExpiryCountdown } from "@/lib/core/dates";

const URGENCY_CLASSES = {
  expired: "text-red-600 dark:text-red-400 font-medium",
  critical: "text-red-600 dark:text-red-400 font-medium",
  "renewal-window": "text-amber-700 dark:text-amber-300",
  ok: "text-emerald-700 dark:text-emerald-400",
} as const;

/** "expires in 23 days", coloured by urgency, with the exact date and time zone on hover. */
export function ExpiryCountdown({ notAfter, renewAfter, now, timeZone }: { notAfter: Date | null; renewAfter: Date | null; now: Date; timeZone: string }) {
  if (!notAfter) return <span className="text-zinc-500 dark:text-zinc-400">not issued yet</span>;
  const exact = formatDateTime(notAfter, timeZone);
  return (
    <time dateTime={notAfter.toISOString()} title={`Expires ${exact}`} className={URGENCY_CLASSES[expiryUrgency(now, notAfter, renewAfter)]}>
      {formatExpiryCountdown(notAfter, now)}
    </time>
  );
}
