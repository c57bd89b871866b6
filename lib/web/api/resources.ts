import "server-only";
import type { z } from "zod";
import type { CertificateRecord } from "@/lib/domain/certificates/queries";
import type { JobLogLine } from "@/lib/data/queue/job-updates";
import type { JobRecord } from "@/lib/domain/jobs/queries";
import type { CertificateResource, jobEventSchema, jobSchema } from "@/lib/web/api/schemas";
import type { EndpointDetail, EndpointRow } from "@/lib/domain/endpoints/queries";
import type { CertificateDeployTargets, DeployTargetRecord } from "@/lib/domain/deploy/targets/queries";
import { deployTargetTypeSchema } from "@/lib/domain/deploy/targets/target-config";
import type { endpointDetailSchema, endpointSchema } from "@/lib/web/api/endpoint-schemas";
import type { certificateDeployTargetsSchema, deployTargetSchema } from "@/lib/web/api/deploy-target-schemas";

/**
 * Domain records → the API's resources (lib/web/api/schemas.ts): dates as ISO 8601 strings, the
 * vocabulary narrowed to the documented enums. The reads are domain queries
 * (lib/domain/certificates/queries.ts, lib/domain/jobs/queries.ts, lib/domain/endpoints/queries.ts,
 * lib/domain/deploy/targets/queries.ts).
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

type EndpointResource = z.output<typeof endpointSchema>;

export function toEndpointResource(row: EndpointRow): EndpointResource {
  return {
    ...row,
    checkedAt: isoOrNull(row.checkedAt),
    nextCheckAt: iso(row.nextCheckAt),
    notBefore: isoOrNull(row.notBefore),
    notAfter: isoOrNull(row.notAfter),
    expiringFrom: isoOrNull(row.expiringFrom),
  };
}

export function toEndpointDetailResource({ caBundlePem, chain, ...row }: EndpointDetail): z.output<typeof endpointDetailSchema> {
  return {
    ...toEndpointResource(row),
    caBundlePem,
    chain: chain.map((certificate) => ({ ...certificate, notBefore: iso(certificate.notBefore), notAfter: iso(certificate.notAfter) })),
  };
}

export function toDeployTargetResource({ statusCounts, ...record }: DeployTargetRecord): z.output<typeof deployTargetSchema> {
  return { ...record, settings: record.settings as z.output<typeof deployTargetSchema>["settings"], deployments: statusCounts };
}

export function toCertificateDeployTargetsResource(view: CertificateDeployTargets): z.output<typeof certificateDeployTargetsSchema> {
  return {
    usesDefaults: view.usesDefaults,
    currentVersion: view.currentVersion && { version: view.currentVersion.version, fingerprintSha256: view.currentVersion.fingerprintSha256 },
    // Not the summary line: for a command target it is the command's text.
    targets: view.targets.map(({ id, name, type, verifyAddress, deployment }) => ({
      id,
      name,
      type: deployTargetTypeSchema.parse(type),
      verifyAddress,
      deployment: deployment && {
        status: deployment.status,
        error: deployment.error,
        servedFingerprint: deployment.servedFingerprint,
        attempts: deployment.attempts,
        nextAttemptAt: isoOrNull(deployment.nextAttemptAt),
        finishedAt: isoOrNull(deployment.finishedAt),
      },
    })),
    available: view.available.map(({ id, name, type, isDefault, isChosen }) => ({ id, name, type: deployTargetTypeSchema.parse(type), isDefault, isChosen })),
  };
}
