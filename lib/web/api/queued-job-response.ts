import "server-only";
import { findJobRecord } from "@/lib/domain/jobs/queries";
import { apiJson } from "@/lib/web/api/api-route";
import { toJobResource } from "@/lib/web/api/resources";

/** 202 with the queued job and where to follow it. */
export async function queuedJobResponse(jobId: string): Promise<Response> {
  const job = await findJobRecord(jobId);
  return apiJson({ job: job ? toJobResource(job) : null }, 202, { location: `/api/v1/jobs/${jobId}` });
}
