import { formatTime } from "@/lib/core/dates";

/** One line of a job's log, as pages show it. */
export interface JobStep {
  id: number;
  at: Date;
  level: string;
  step: string;
  message: string;
  detail: string | null;
}

const LEVEL_DOT = {
  info: "bg-zinc-400 dark:bg-zinc-500",
  warn: "bg-amber-500",
  error: "bg-red-500",
} as const;

/**
 * A job's steps with timestamps. Rendered by the server for finished jobs and by
 * <LiveJobSteps> (which adds lines as they happen) for active ones: the same markup either way.
 */
export function JobStepList({ events, isRunning, timeZone }: { events: JobStep[]; isRunning: boolean; timeZone: string }) {
  return (
    <ol aria-label="Job steps" className="space-y-1 border-l border-zinc-200 pl-3 dark:border-zinc-800">
      {events.map((event) => (
        <li key={event.id} className="relative text-sm">
          <span className={`absolute -left-[17px] top-1.5 h-2 w-2 rounded-full ${LEVEL_DOT[event.level as keyof typeof LEVEL_DOT] ?? LEVEL_DOT.info}`} />
          <time dateTime={event.at.toISOString()} className="mr-2 font-mono text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
            {formatTime(event.at, timeZone)}
          </time>
          <span className={`[overflow-wrap:anywhere] ${event.level === "error" ? "text-red-700 dark:text-red-300" : ""}`}>{event.message}</span>
          {event.detail && (
            <details className="mt-0.5">
              <summary className="cursor-pointer text-xs text-zinc-500 dark:text-zinc-400">Raw details</summary>
              <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">{event.detail}</pre>
            </details>
          )}
        </li>
      ))}
      {isRunning && (
        <li className="text-sm text-zinc-500 dark:text-zinc-400" aria-live="polite">
          working…
        </li>
      )}
    </ol>
  );
}
