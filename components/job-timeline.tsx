import { Badge } from "@/components/ui/badge";
import { JOB_TYPE_LABELS, type JobType } from "@/lib/domain/jobs/vocabulary";
import { formatDateTime, formatTime } from "@/lib/core/dates";

export interface JobTimelineJob {
  id: string;
  type: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  events: Array<{ id: number; at: Date; level: string; step: string; message: string; detail: string | null }>;
}

const STATUS_BADGES = {
  queued: ["gray", "Queued"],
  running: ["blue", "Running"],
  waiting: ["amber", "Waiting for you"],
  succeeded: ["green", "Succeeded"],
  failed: ["red", "Failed"],
} as const;

const LEVEL_DOT = {
  info: "bg-zinc-400 dark:bg-zinc-500",
  warn: "bg-amber-500",
  error: "bg-red-500",
} as const;

/** A job's steps with timestamps; kept live by <AutoRefresh> on the page while the job runs. */
export function JobTimeline({ job, timeZone }: { job: JobTimelineJob; timeZone: string }) {
  const [tone, label] = STATUS_BADGES[job.status as keyof typeof STATUS_BADGES] ?? (["gray", job.status] as const);
  return (
    <div data-testid={`job-${job.id}`} className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{JOB_TYPE_LABELS[job.type as JobType] ?? job.type}</span>
        <Badge tone={tone}>{label}</Badge>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">queued {formatDateTime(job.createdAt, timeZone)}</span>
      </div>
      <ol aria-label="Job steps" className="space-y-1 border-l border-zinc-200 pl-3 dark:border-zinc-800">
        {job.events.map((event) => (
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
        {job.status === "running" && (
          <li className="text-sm text-zinc-500 dark:text-zinc-400" aria-live="polite">
            working…
          </li>
        )}
      </ol>
    </div>
  );
}
