import "server-only";
import type { z } from "zod";
import type { CertificateRecord } from "@/lib/domain/certificates/queries";
import type { JobLogLine } from "@/lib/data/queue/job-updates";
import type { JobRecord } from "@/lib/domain/jobs/queries";
import type { CertificateResource, jobEventSchema, jobSchema } from "@/lib/web/api/schemas";

/**
 * Domain records → the API's resources (lib/web/api/schemas.ts): dates as ISO 8601 strings, the
 * vocabulary narrowed to the documented enums. The reads are domain queries
 * (lib/domain/certificates/queries.ts, lib/domain/jobs/queries.ts).
 */

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function toCertificateResource(record: CertificateRecord): CertificateResource {
  const version = record.currentVersion;
  return {
    id: record.id,
    name: record.name,
    identifiers: record.identifiers,
    status: record.status,
    keyType: record.keyType,
    challengeMethod: record.challengeMethod,
    source: record.source,
    accountId: record.accountId,
    profile: record.profile,
    notAfter: isoOrNull(record.notAfter),
    renewAfter: isoOrNull(record.renewAfter),
    lastError: record.lastError,
    lastErrorCode: record.lastErrorCode,
    createdAt: iso(record.createdAt),
    currentVersion: version
      ? {
          version: version.version,
          serial: version.serial,
          issuer: version.issuer,
          notBefore: iso(version.notBefore),
          notAfter: iso(version.notAfter),
          fingerprintSha256: version.fingerprintSha256,
          deployStatus: version.deployStatus,
          revokedAt: isoOrNull(version.revokedAt),
          revocationReason: version.revocationReason,
        }
      : null,
    activeJob: record.activeJob,
  };
}

export type JobResource = z.output<typeof jobSchema>;

export function toJobResource(record: JobRecord): JobResource {
  return {
    ...record,
    type: record.type,
    status: record.status,
    createdAt: iso(record.createdAt),
    runAfter: iso(record.runAfter),
    startedAt: isoOrNull(record.startedAt),
    finishedAt: isoOrNull(record.finishedAt),
  };
}

type JobEventResource = z.output<typeof jobEventSchema>;

export function toJobEventResource(event: JobLogLine): JobEventResource {
  return { ...event, at: iso(event.at), level: event.level };
}
