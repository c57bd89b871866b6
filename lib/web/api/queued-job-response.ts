import "server-only";
import { apiJson } from "@/lib/web/api/api-route";
import { findJobResource } from "@/lib/web/api/resources";

/** 202 with the queued job and where to follow it. */
export async function queuedJobResponse(jobId: string): Promise<Response> {
  const job = await findJobResource(jobId);
  return apiJson({ job }, 202, { location: `/api/v1/jobs/${jobId}` });
}
