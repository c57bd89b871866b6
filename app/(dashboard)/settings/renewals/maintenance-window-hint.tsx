const EXAMPLES = ["Mon-Fri 01:00-03:00", "Mon,Thu 22:00-02:00", "daily 02:00-04:00", "0 3 * * 1 for 90m"];

/** The maintenance window field's hint: the notation, the server's time zone and examples. */
export function MaintenanceWindowHint({ timeZone }: { timeZone: string }) {
  return (
    <>
      Days and hours, or a cron expression that opens a one-hour window (<code>for 90m</code> sets another length). Times are server time ({timeZone}). Empty:
      any time. Examples:{" "}
      {EXAMPLES.map((example, index) => (
        <span key={example}>
          <code className="rounded bg-zinc-100 px-1 py-0.5 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{example}</code>
          {index < EXAMPLES.length - 1 ? " " : ""}
        </span>
      ))}
    </>
  );
}
