import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { dashboardJobStream } from "@/lib/web/streams/dashboard-job-stream";

const MAX_JOBS = 100;

/**
 * The overview's live statuses (components/live-jobs-refresh.tsx): for the jobs named by ?job=
 * (repeated), each one's status, its changes and its end, as server-sent events; no log lines.
 */
export async function GET(request: Request) {
  const jobIds = new URL(request.url).searchParams.getAll("job");
  return dashboardJobStream(request, "GET /api/jobs/events", () => {
    if (jobIds.length === 0 || jobIds.length > MAX_JOBS) throw new AppError("bad_request", `Name between 1 and ${MAX_JOBS} jobs with ?job=.`);
    if (!jobIds.every((id) => idSchema.safeParse(id).success)) throw new AppError("not_found", "There is no such job.");
    return { jobIds, includeEvents: false };
  });
}
