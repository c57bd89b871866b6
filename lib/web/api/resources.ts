import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/data/client";
import { parseStoredIdentifiers } from "@/lib/domain/certificates/identifiers";
import { ACTIVE_JOB_STATUSES, jobStatusSchema, jobTypeSchema } from "@/lib/data/queue/job-types";
import { jobEventLevelSchema } from "@/lib/data/queue/job-log";
import { certificateStatusSchema } from "@/lib/domain/certificates/certificate-status";
import { deployStatusSchema } from "@/lib/domain/deploy/deploy-status";
import type { CertificateResource } from "@/lib/web/api/schemas";
import type { z } from "zod";
import type { jobEventSchema, jobSchema } from "@/lib/web/api/schemas";

/**
 * Database rows → the API's resources (lib/web/api/schemas.ts). Explicit selects: secret columns
 * (keys) are never read, and the JSON shape does not change when the schema grows. Stored
 * statuses are parsed with their domain's list (a value outside it is an error, not a cast).
 */

export const CERTIFICATE_RESOURCE_SELECT = {
  id: true,
  name: true,
  identifiers: true,
  status: true,
  keyType: true,
  challengeMethod: true,
  accountId: true,
  profile: true,
  notAfter: true,
  renewAfter: true,
  lastError: true,
  lastErrorCode: true,
  createdAt: true,
  currentVersion: {
    select: {
      version: true,
      serial: true,
      issuer: true,
      notBefore: true,
      notAfter: true,
      fingerprintSha256: true,
      deployStatus: true,
      revokedAt: true,
      revocationReason: true,
    },
  },
  jobs: { where: { status: { in: ACTIVE_JOB_STATUSES } }, orderBy: { createdAt: "asc" }, take: 1, select: { id: true, type: true, status: true } },
} as const satisfies Prisma.CertificateSelect;

type CertificateRow = Prisma.CertificateGetPayload<{ select: typeof CERTIFICATE_RESOURCE_SELECT }>;

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function toCertificateResource(row: CertificateRow): CertificateResource {
  const version = row.currentVersion;
  return {
    id: row.id,
    name: row.name,
    identifiers: parseStoredIdentifiers(row.identifiers).map((identifier) => identifier.value),
    status: certificateStatusSchema.parse(row.status),
    keyType: row.keyType,
    challengeMethod: row.challengeMethod,
    accountId: row.accountId,
    profile: row.profile,
    notAfter: isoOrNull(row.notAfter),
    renewAfter: isoOrNull(row.renewAfter),
    lastError: row.lastError,
    lastErrorCode: row.lastErrorCode,
    createdAt: iso(row.createdAt),
    currentVersion: version
      ? {
          version: version.version,
          serial: version.serial,
          issuer: version.issuer,
          notBefore: iso(version.notBefore),
          notAfter: iso(version.notAfter),
          fingerprintSha256: version.fingerprintSha256,
          deployStatus: deployStatusSchema.parse(version.deployStatus),
          revokedAt: isoOrNull(version.revokedAt),
          revocationReason: version.revocationReason,
        }
      : null,
    activeJob: row.jobs[0] ? { id: row.jobs[0].id, type: jobTypeSchema.parse(row.jobs[0].type), status: jobStatusSchema.parse(row.jobs[0].status) } : null,
  };
}

export async function findCertificateResource(id: string): Promise<CertificateResource | null> {
  const row = await db.certificate.findUnique({ where: { id }, select: CERTIFICATE_RESOURCE_SELECT });
  return row ? toCertificateResource(row) : null;
}

export const JOB_RESOURCE_SELECT = {
  id: true,
  type: true,
  status: true,
  certificateId: true,
  accountId: true,
  attempts: true,
  error: true,
  createdAt: true,
  runAfter: true,
  startedAt: true,
  finishedAt: true,
} as const satisfies Prisma.JobSelect;

type JobResource = z.output<typeof jobSchema>;

export async function findJobResource(id: string): Promise<JobResource | null> {
  const row = await db.job.findUnique({ where: { id }, select: JOB_RESOURCE_SELECT });
  if (!row) return null;
  return {
    ...row,
    type: jobTypeSchema.parse(row.type),
    status: jobStatusSchema.parse(row.status),
    createdAt: iso(row.createdAt),
    runAfter: iso(row.runAfter),
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
  };
}

type JobEventResource = z.output<typeof jobEventSchema>;

export async function listJobEventResources(jobId: string, afterId?: number): Promise<JobEventResource[]> {
  const events = await db.jobEvent.findMany({
    where: { jobId, ...(afterId === undefined ? {} : { id: { gt: afterId } }) },
    orderBy: { id: "asc" },
    select: { id: true, at: true, level: true, step: true, message: true, detail: true },
  });
  return events.map((event) => ({ ...event, at: iso(event.at), level: jobEventLevelSchema.parse(event.level) }));
}
