import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { jobTypeLabel, type CertificateJobType, type JobOptionsOf } from "@/lib/data/queue/job-types";
import { enqueueCertificateJob } from "@/lib/data/queue/queue";
import { isUploaded, uploadedConflict } from "@/lib/domain/certificates/certificate-source";
import type { AuditEntry, CommandContext } from "@/lib/domain/command/define-command";

export interface QueuedCertificateJob {
  jobId: string;
  certificate: { id: string; name: string };
}

/** The certificate a command works on, with the columns `select` names, or AppError("not_found"). */
export async function certificateOrNotFound<Select extends Prisma.CertificateSelect>(id: string, select: Select) {
  const certificate = await db.certificate.findUnique({ where: { id }, select });
  if (!certificate) throw new AppError("not_found", `No certificate has the id "${id}".`);
  return certificate;
}

/** The certificate a command works on, or AppError("not_found"). */
export async function findCertificateOrThrow(id: string): Promise<{ id: string; name: string }> {
  return certificateOrNotFound(id, { id: true, name: true });
}

/**
 * The certificate a command sends to the CA (renew, test renewal), or AppError("not_found"), or
 * AppError("conflict") when it was uploaded: CertDeck never orders or renews those.
 */
export async function findAcmeCertificateOrThrow(id: string, what: string): Promise<{ id: string; name: string }> {
  const certificate = await certificateOrNotFound(id, { id: true, name: true, source: true });
  if (isUploaded(certificate)) throw uploadedConflict(certificate.name, what);
  return { id: certificate.id, name: certificate.name };
}

/**
 * Queues one job on a certificate and writes the audit entry. At most one job works on a
 * certificate at a time (lib/data/queue/queue.ts): when another is queued, running or waiting,
 * nothing is queued and AppError("conflict") names that job.
 */
export async function queueCertificateJob<Type extends CertificateJobType>(
  context: CommandContext,
  certificate: { id: string; name: string },
  job: { type: Type; reason?: string; options?: JobOptionsOf<Type>; audit?: Omit<AuditEntry, "target"> },
): Promise<QueuedCertificateJob> {
  const reason = job.reason ?? (context.actor.kind === "api-token" ? "requested through the API" : undefined);
  const { jobId, isNew } = await enqueueCertificateJob(certificate.id, job.type, { reason, jobOptions: job.options });
  if (!isNew) throw await jobAlreadyActive(context, certificate, jobId);
  await context.audit({ ...job.audit, target: certificate.name });
  return { jobId, certificate };
}

/** The refusal for a command while another job works on the certificate (a script is told where to follow it). */
export async function jobAlreadyActive(context: CommandContext, certificate: { name: string }, jobId: string): Promise<AppError> {
  const active = await db.job.findUnique({ where: { id: jobId }, select: { type: true, status: true } });
  const label = active ? `${jobTypeLabel(active.type).toLowerCase()} job (${active.status})` : "job";
  // A script is told where to follow that job; the dashboard shows it on the page.
  const follow =
    context.actor.kind === "api-token" ? `: follow it at /api/v1/jobs/${jobId} and try again when it has finished.` : ". Try again when it has finished.";
  return new AppError("conflict", `A ${label} is already working on ${certificate.name}${follow}`);
}
