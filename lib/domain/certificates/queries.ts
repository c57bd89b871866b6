import "server-only";
import { AppError } from "@/lib/core/app-error";
import { pageCountOf, readListPage, type ListPage } from "@/lib/core/paging";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { ACTIVE_JOB_STATUSES, jobStatusSchema, jobTypeSchema, type JobStatus, type JobType } from "@/lib/data/queue/job-types";
import { jobEventLevelSchema } from "@/lib/data/queue/job-log";
import { certificateStatusSchema, type CertificateStatus } from "@/lib/domain/certificates/certificate-status";
import { certificateSourceSchema, type CertificateSource } from "@/lib/domain/certificates/certificate-source";
import { deployStatusSchema, type DeployStatus } from "@/lib/domain/deploy/deploy-status";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/data/client";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { CRITICAL_DAYS } from "@/lib/domain/renewal/expiry";
import type { RenewalScheduleFacts } from "@/lib/domain/renewal/describe-renewal";

/** The list filters; each overview tile links to one of them. */
export const CERTIFICATE_FILTERS = {
  all: "All",
  valid: "Valid",
  "renewal-window": "In renewal window",
  expiring: `Expiring within ${CRITICAL_DAYS} days`,
  expired: "Expired",
  failing: "Failing",
} as const;
export type CertificateFilter = keyof typeof CERTIFICATE_FILTERS;

export const PAGE_SIZE = 25;

function criticalAtOf(now: Date): Date {
  return new Date(now.getTime() + CRITICAL_DAYS * 24 * 3600 * 1000);
}

/** Which certificates each filter shows. getCertificateOverview counts the same conditions in SQL. */
function filterWhere(filter: CertificateFilter, now: Date): Prisma.CertificateWhereInput {
  const criticalAt = criticalAtOf(now);
  switch (filter) {
    case "valid":
      // An uploaded certificate has no renewal time (never renewed here): valid until it expires.
      return { notAfter: { gt: now }, OR: [{ renewAfter: { gt: now } }, { renewAfter: null }], status: { not: "failed" } };
    case "renewal-window":
      return { notAfter: { gt: now }, renewAfter: { lte: now } };
    case "expiring":
      return { notAfter: { gt: now, lte: criticalAt } };
    case "expired":
      return { notAfter: { lte: now } };
    case "failing":
      return { status: "failed" };
    default:
      return {};
  }
}

/** The columns lib/domain/renewal/describe-renewal.ts explains. */
const RENEWAL_SCHEDULE_SELECT = {
  renewAfter: true,
  renewReason: true,
  renewBeforeDays: true,
  ariWindowStart: true,
  ariWindowEnd: true,
  ariExplanationUrl: true,
  retryNotBefore: true,
  consecutiveFailures: true,
} as const;

export interface CertificateOverview {
  total: number;
  valid: number;
  renewalWindow: number;
  expiring: number;
  expired: number;
  failing: number;
  nextExpiry: { id: string; name: string; notAfter: Date } | null;
  nextRenewal: ({ id: string; name: string } & RenewalScheduleFacts) | null;
}

type OverviewCounts = Pick<CertificateOverview, "total" | "valid" | "renewalWindow" | "expiring" | "expired" | "failing">;

/**
 * Every tile's count in one pass over the (renewAfter, notAfter, status) index, rather than six
 * queries that each read thousands of rows. The conditions are filterWhere's, in SQL (a NULL
 * date matches no comparison, as in Prisma); the query tests check both agree.
 */
async function countByFilter(now: Date): Promise<OverviewCounts> {
  const criticalAt = criticalAtOf(now);
  const [row] = await db.$queryRaw<Array<Record<keyof OverviewCounts, number | bigint | null>>>`
    SELECT
      COUNT(*) AS "total",
      SUM("notAfter" > ${now} AND ("renewAfter" > ${now} OR "renewAfter" IS NULL) AND "status" <> 'failed') AS "valid",
      SUM("notAfter" > ${now} AND "renewAfter" <= ${now}) AS "renewalWindow",
      SUM("notAfter" > ${now} AND "notAfter" <= ${criticalAt}) AS "expiring",
      SUM("notAfter" <= ${now}) AS "expired",
      SUM("status" = 'failed') AS "failing"
    FROM "Certificate"`;
  const count = (key: keyof OverviewCounts) => Number(row?.[key] ?? 0);
  return {
    total: count("total"),
    valid: count("valid"),
    renewalWindow: count("renewalWindow"),
    expiring: count("expiring"),
    expired: count("expired"),
    failing: count("failing"),
  };
}

export async function getCertificateOverview(now = new Date()): Promise<CertificateOverview> {
  const [{ total, valid, renewalWindow, expiring, expired, failing }, nextExpiry, nextRenewal] = await Promise.all([
    countByFilter(now),
    db.certificate.findFirst({
      where: { notAfter: { gt: now } },
      orderBy: { notAfter: "asc" },
      select: { id: true, name: true, notAfter: true },
    }),
    db.certificate.findFirst({
      where: { currentVersionId: { not: null }, renewAfter: { not: null } },
      orderBy: { renewAfter: "asc" },
      select: { id: true, name: true, ...RENEWAL_SCHEDULE_SELECT },
    }),
  ]);
  return {
    total,
    valid,
    renewalWindow,
    expiring,
    expired,
    failing,
    nextExpiry: nextExpiry?.notAfter ? { id: nextExpiry.id, name: nextExpiry.name, notAfter: nextExpiry.notAfter } : null,
    nextRenewal,
  };
}

export interface CertificateListRow {
  id: string;
  name: string;
  identifiers: string[];
  status: CertificateStatus;
  source: CertificateSource;
  issuer: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
  renewAfter: Date | null;
  lastError: string | null;
  lastErrorCode: string | null;
  /** Issued at least once (it has a current version): its action is "Renew", else "Try again". */
  hasCurrentVersion: boolean;
  deployStatus: DeployStatus | null;
  isRevoked: boolean;
  activeJob: { id: string; type: JobType; status: JobStatus } | null;
}

export async function listCertificates(options: {
  filter: CertificateFilter;
  search: string;
  page: number;
  now?: Date;
}): Promise<ListPage<CertificateListRow>> {
  const now = options.now ?? new Date();
  const search = options.search.trim().toLowerCase();
  const where: Prisma.CertificateWhereInput = {
    AND: [filterWhere(options.filter, now), search ? { OR: [{ name: { contains: search } }, { identifiers: { contains: search } }] } : {}],
  };
  return readListPage({
    requestedPage: options.page,
    pageSize: PAGE_SIZE,
    count: () => db.certificate.count({ where }),
    read: async (window) => {
      const certificates = await db.certificate.findMany({
        where,
        // Never-issued (NULL notAfter) first: SQLite sorts NULLs first in ascending order. An explicit
        // `nulls: "first"` becomes a CASE expression that cannot use the (notAfter, name) index.
        orderBy: [{ notAfter: "asc" }, { name: "asc" }],
        ...window,
        select: {
          id: true,
          name: true,
          identifiers: true,
          status: true,
          source: true,
          notAfter: true,
          renewAfter: true,
          lastError: true,
          lastErrorCode: true,
          currentVersion: { select: { issuer: true, notBefore: true, deployStatus: true, revokedAt: true } },
          jobs: { where: { status: { in: ACTIVE_JOB_STATUSES } }, select: { id: true, type: true, status: true }, take: 1 },
        },
      });
      return certificates.map((certificate) => ({
        id: certificate.id,
        name: certificate.name,
        identifiers: parseStoredIdentifiers(certificate.identifiers).map((identifier) => identifier.value),
        status: certificateStatusSchema.parse(certificate.status),
        source: certificateSourceSchema.parse(certificate.source),
        issuer: certificate.currentVersion?.issuer ?? null,
        notBefore: certificate.currentVersion?.notBefore ?? null,
        notAfter: certificate.notAfter,
        renewAfter: certificate.renewAfter,
        lastError: certificate.lastError,
        lastErrorCode: certificate.lastErrorCode,
        hasCurrentVersion: certificate.currentVersion !== null,
        deployStatus: certificate.currentVersion ? deployStatusSchema.parse(certificate.currentVersion.deployStatus) : null,
        isRevoked: Boolean(certificate.currentVersion?.revokedAt),
        activeJob: certificate.jobs[0] ? parseJobTypeAndStatus(certificate.jobs[0]) : null,
      }));
    },
  });
}

export async function getCertificateDetail(id: string) {
  const certificate = await db.certificate.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      identifiers: true,
      keyType: true,
      challengeMethod: true,
      status: true,
      source: true,
      notAfter: true,
      lastError: true,
      lastErrorCode: true,
      lastErrorAt: true,
      lastPreflight: true,
      lastPreflightAt: true,
      createdAt: true,
      currentVersionId: true,
      profile: true,
      webrootPath: true,
      importedFrom: true,
      ...RENEWAL_SCHEDULE_SELECT,
      maintenanceWindow: true,
      preHook: true,
      postHook: true,
      deployHook: true,
      account: { select: { id: true, label: true, directoryUrl: true } },
      versions: {
        orderBy: { version: "desc" },
        select: {
          id: true,
          version: true,
          serial: true,
          notBefore: true,
          notAfter: true,
          issuer: true,
          fingerprintSha256: true,
          createdAt: true,
          deployStatus: true,
          deployError: true,
          revokedAt: true,
          revocationReason: true,
        },
      },
      jobs: {
        orderBy: { createdAt: "desc" },
        take: 10,
        select: {
          id: true,
          type: true,
          status: true,
          createdAt: true,
          finishedAt: true,
          error: true,
          events: { orderBy: { id: "asc" }, select: { id: true, at: true, level: true, step: true, message: true, detail: true } },
        },
      },
    },
  });
  if (!certificate) return null;
  const { identifiers, status, source, versions, jobs, ...rest } = certificate;
  return {
    ...rest,
    status: certificateStatusSchema.parse(status),
    source: certificateSourceSchema.parse(source),
    identifiers: parseStoredIdentifiers(identifiers),
    versions: versions.map((version) => ({ ...version, deployStatus: deployStatusSchema.parse(version.deployStatus) })),
    jobs: jobs.map((job) => ({
      ...job,
      ...parseJobTypeAndStatus(job),
      events: job.events.map((event) => ({ ...event, level: jobEventLevelSchema.parse(event.level) })),
    })),
  };
}

/** A job row's type and status, parsed with their lists (lib/data/queue/job-types.ts). */
function parseJobTypeAndStatus(job: { id: string; type: string; status: string }): { id: string; type: JobType; status: JobStatus } {
  return { id: job.id, type: jobTypeSchema.parse(job.type), status: jobStatusSchema.parse(job.status) };
}
export type CertificateDetail = NonNullable<Awaited<ReturnType<typeof getCertificateDetail>>>;

/** One certificate as the REST API describes it (lib/web/api/resources.ts writes the JSON). */
export interface CertificateRecord {
  id: string;
  name: string;
  identifiers: string[];
  status: CertificateStatus;
  keyType: string;
  challengeMethod: string;
  /** acme (issued and renewed here) or upload (issued elsewhere, never renewed here). */
  source: CertificateSource;
  /** The ACME account; null for an uploaded certificate. */
  accountId: string | null;
  profile: string | null;
  notAfter: Date | null;
  renewAfter: Date | null;
  lastError: string | null;
  lastErrorCode: string | null;
  createdAt: Date;
  currentVersion: {
    version: number;
    serial: string;
    issuer: string;
    notBefore: Date;
    notAfter: Date;
    fingerprintSha256: string;
    deployStatus: DeployStatus;
    revokedAt: Date | null;
    revocationReason: string | null;
  } | null;
  /** The job queued, running or waiting for the certificate, if any. */
  activeJob: { id: string; type: JobType; status: JobStatus } | null;
}

/** Explicit columns: secret ones (keys) are never read, and the record does not grow with the table. */
const CERTIFICATE_RECORD_SELECT = {
  id: true,
  name: true,
  identifiers: true,
  status: true,
  keyType: true,
  challengeMethod: true,
  source: true,
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

function toCertificateRecord({
  identifiers,
  jobs,
  status,
  source,
  currentVersion,
  ...row
}: Prisma.CertificateGetPayload<{ select: typeof CERTIFICATE_RECORD_SELECT }>): CertificateRecord {
  return {
    ...row,
    status: certificateStatusSchema.parse(status),
    source: certificateSourceSchema.parse(source),
    identifiers: parseStoredIdentifiers(identifiers).map((identifier) => identifier.value),
    currentVersion: currentVersion ? { ...currentVersion, deployStatus: deployStatusSchema.parse(currentVersion.deployStatus) } : null,
    activeJob: jobs[0] ? parseJobTypeAndStatus(jobs[0]) : null,
  };
}

export async function findCertificateRecord(id: string): Promise<CertificateRecord | null> {
  const row = await db.certificate.findUnique({ where: { id }, select: CERTIFICATE_RECORD_SELECT });
  return row ? toCertificateRecord(row) : null;
}

export interface CertificateRecordQuery {
  /** pending, issuing, valid or failed. */
  status?: string;
  /** Issued certificates whose current version expires within this many days (expired ones included). */
  expiringWithinDays?: number;
  page: number;
  pageSize: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One page of certificates for the REST API. Filtering, counting and paging happen in SQL
 * (indexed status and notAfter columns), so the cost does not grow with the fleet beyond the
 * count. Sorted as the dashboard's list: by expiry, never-issued first, then by name.
 */
export async function listCertificateRecords(
  query: CertificateRecordQuery,
  now = new Date(),
): Promise<{ records: CertificateRecord[]; total: number; page: number; pageSize: number; pageCount: number }> {
  const where: Prisma.CertificateWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.expiringWithinDays !== undefined ? { notAfter: { not: null, lte: new Date(now.getTime() + query.expiringWithinDays * DAY_MS) } } : {}),
  };
  const total = await db.certificate.count({ where });
  const pageCount = pageCountOf(total, query.pageSize);
  const rows = await db.certificate.findMany({
    where,
    orderBy: [{ notAfter: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize,
    select: CERTIFICATE_RECORD_SELECT,
  });
  return { records: rows.map(toCertificateRecord), total, page: query.page, pageSize: query.pageSize, pageCount };
}

/**
 * The current version's fullchain.pem (public material: leaf and intermediates) with the file
 * name to save it as; AppError("not_found") for an unknown certificate or one not issued yet.
 */
export async function getCurrentFullchain(id: string): Promise<{ name: string; version: number; filename: string; pem: string }> {
  const certificate = await db.certificate.findUnique({
    where: { id },
    select: { name: true, status: true, currentVersion: { select: { chainPem: true, version: true } } },
  });
  if (!certificate) throw new AppError("not_found", `No certificate has the id "${id.slice(0, 64)}".`);
  const current = certificate.currentVersion;
  if (!current) throw new AppError("not_found", `${certificate.name} has not been issued yet (status ${certificate.status}): wait for its job to succeed.`);
  return {
    name: certificate.name,
    version: current.version,
    filename: `${lineageDirectoryName(certificate.name)}-fullchain${current.version}.pem`,
    pem: current.chainPem,
  };
}
