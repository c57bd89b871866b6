import "server-only";
import { ApiError } from "@/lib/api/api-error";
import { apiJson } from "@/lib/api/api-route";
import type { ApiCaller } from "@/lib/api/authenticate";
import { findJobResource } from "@/lib/api/resources";
import { auditAddressOf } from "@/lib/api/request-address";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { JOB_TYPE_LABELS, type CertificateJobType, type JobType } from "@/lib/jobs/job-types";
import { enqueueCertificateJob, type JobOptions } from "@/lib/jobs/queue";

/**
 * Queues a job on a certificate for the API (renew, dry run, revoke) and answers 202 with the
 * job. At most one job works on a certificate at a time (lib/jobs/queue.ts): when another is
 * queued or running, nothing is queued and the answer is 409 naming that job.
 */
export async function queueCertificateJobResponse(options: {
  request: Request;
  caller: ApiCaller;
  certificate: { id: string; name: string };
  type: CertificateJobType;
  auditAction: string;
  auditDetail?: Record<string, unknown>;
  reason?: string;
  jobOptions?: JobOptions;
}): Promise<Response> {
  const { certificate } = options;
  const { jobId, isNew } = await enqueueCertificateJob(certificate.id, options.type, { reason: options.reason ?? "requested through the API", jobOptions: options.jobOptions });
  if (!isNew) {
    const active = await db.job.findUnique({ where: { id: jobId }, select: { type: true, status: true } });
    const label = active ? `${(JOB_TYPE_LABELS[active.type as JobType] ?? active.type).toLowerCase()} job (${active.status})` : "job";
    throw new ApiError("conflict", `A ${label} is already working on ${certificate.name}: follow it at /api/v1/jobs/${jobId} and try again when it has finished.`);
  }
  await recordAuditEvent({ actor: options.caller.actor, action: options.auditAction, target: certificate.name, detail: options.auditDetail, ip: auditAddressOf(options.request) });
  const job = await findJobResource(jobId);
  return apiJson({ job }, 202, { location: `/api/v1/jobs/${jobId}` });
}
