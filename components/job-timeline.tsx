import { StatusBadge, type StatusBadges } from "@/components/ui/badge";
import { JobStepList, type JobStep } from "@/components/job-step-list";
import { LiveJobSteps } from "@/components/live-job-steps";
import { isJobActive, JOB_TYPE_LABELS, type JobType } from "@/lib/domain/jobs/vocabulary";
import { formatDateTime } from "@/lib/core/dates";

export interface JobTimelineJob {
  id: string;
  type: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  events: JobStep[];
}

const STATUS_BADGES = {
  queued: ["gray", "Queued"],
  running: ["blue", "Running"],
  waiting: ["amber", "Waiting for you"],
  succeeded: ["green", "Succeeded"],
  failed: ["red", "Failed"],
} as const satisfies StatusBadges;

/**
 * A job's steps with timestamps. While the job is active its steps come live from the job's
 * event stream (<LiveJobSteps>); without JavaScript, the page shows the steps it was rendered with.
 */
export function JobTimeline({ job, timeZone }: { job: JobTimelineJob; timeZone: string }) {
  return (
    <div data-testid={`job-${job.id}`} className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{JOB_TYPE_LABELS[job.type as JobType] ?? job.type}</span>
        <StatusBadge status={job.status} badges={STATUS_BADGES} />
        <span className="text-xs text-zinc-500 dark:text-zinc-400">queued {formatDateTime(job.createdAt, timeZone)}</span>
      </div>
      {isJobActive(job.status) ? (
        <LiveJobSteps jobId={job.id} status={job.status} events={job.events} timeZone={timeZone} />
      ) : (
        <JobStepList events={job.events} isRunning={false} timeZone={timeZone} />
      )}
    </div>
  );
}
