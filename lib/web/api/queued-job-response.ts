import "server-only";
import { findJobRecord } from "@/lib/domain/jobs/queries";
import { apiJson } from "@/lib/web/api/api-route";
import { toJobResource } from "@/lib/web/api/resources";

/** 202 with the queued job and where to follow it. */
export async function queuedJobResponse(jobId: string): Promise<Response> {
  const job = await findJobRecord(jobId);
  return apiJson({ job: job ? toJobResource(job) : null }, 202, { location: `/api/v1/jobs/${jobId}` });
}

/** A renewal: 202 with the new job, or 200 with the renewal that succeeded a moment ago (reused). */
export async function renewJobResponse({ jobId, reused }: { jobId: string; reused: boolean }): Promise<Response> {
  const job = await findJobRecord(jobId);
  const headers: Record<string, string> = { location: `/api/v1/jobs/${jobId}`, ...(reused ? { "x-certdeck-reused": "true" } : {}) };
  return apiJson({ job: job ? toJobResource(job) : null, reused }, reused ? 200 : 202, headers);
}
