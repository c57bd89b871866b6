import "server-only";
import { CERTIFICATE_STATUSES } from "@/lib/domain/certificates/certificate-status";
import { db } from "@/lib/data/client";
import { ACTIVE_JOB_STATUSES, FINISHED_JOB_STATUSES, JOB_TYPES } from "@/lib/data/queue/job-types";
import type { MetricFamily } from "@/lib/protocol/prometheus/exposition";
import { readSchedulerHealth, schedulerLagSeconds } from "@/lib/domain/metrics/scheduler-health";
import { collectEndpointMetrics } from "@/lib/domain/endpoints/endpoint-metrics";

interface CurrentVersionRow {
  name: string;
  issuer: string;
  /** Seconds since the epoch, computed by SQLite (no Date object per row). */
  expiresAt: number | bigint;
  renewAt: number | bigint | null;
}

/**
 * Everything /metrics shows, in a fixed number of queries whatever the fleet's size: one join
 * over the certificates' current versions (no query per certificate), two GROUP BY counts, and
 * the watched endpoints with their certificates (lib/domain/endpoints/endpoint-metrics.ts).
 */
export async function collectMetrics(now = new Date()): Promise<MetricFamily[]> {
  const [versions, certificateCounts, jobCounts, endpointFamilies] = await Promise.all([
    db.$queryRaw<CurrentVersionRow[]>`
      SELECT c.name AS name, v.issuer AS issuer, unixepoch(v.notAfter, 'subsec') AS expiresAt, unixepoch(c.renewAfter, 'subsec') AS renewAt
      FROM Certificate c JOIN CertificateVersion v ON v.id = c.currentVersionId
      ORDER BY c.name`,
    db.certificate.groupBy({ by: ["status"], _count: { _all: true } }),
    db.job.groupBy({ by: ["type", "status"], _count: { _all: true } }),
    collectEndpointMetrics(),
  ]);

  const certificatesByStatus = new Map<string, number>(CERTIFICATE_STATUSES.map((status) => [status, 0]));
  for (const row of certificateCounts) certificatesByStatus.set(row.status, row._count._all);
  const jobCount = (type: string, status: string) => jobCounts.find((row) => row.type === type && row.status === status)?._count._all ?? 0;

  const families: MetricFamily[] = [
    {
      name: "certdeck_certificate_expiration_timestamp_seconds",
      help: "When the certificate's current version expires (notAfter), in seconds since the Unix epoch.",
      type: "gauge",
      samples: versions.map((row) => ({ labels: { name: row.name, issuer: row.issuer }, value: Number(row.expiresAt) })),
    },
    {
      name: "certdeck_certificate_renewal_timestamp_seconds",
      help: "When automatic renewal of the current version is due (ARI window, 1/3 of lifetime left, or the certificate's own setting), in seconds since the Unix epoch.",
      type: "gauge",
      samples: versions.flatMap((row) => (row.renewAt === null ? [] : [{ labels: { name: row.name, issuer: row.issuer }, value: Number(row.renewAt) }])),
    },
    {
      name: "certdeck_certificates",
      help: "Certificates by state: pending (never issued), issuing, valid, failed (the last issuance or renewal failed).",
      type: "gauge",
      samples: [...certificatesByStatus].map(([status, count]) => ({ labels: { status }, value: count })),
    },
    {
      name: "certdeck_certificates_failing",
      help: "Certificates whose last issuance or renewal failed (the dashboard's Failing filter).",
      type: "gauge",
      samples: [{ value: certificatesByStatus.get("failed") ?? 0 }],
    },
    {
      name: "certdeck_jobs_total",
      help: "Finished jobs by type and result, as kept in the job history.",
      type: "counter",
      samples: JOB_TYPES.flatMap((type) => FINISHED_JOB_STATUSES.map((result) => ({ labels: { type, result }, value: jobCount(type, result) }))),
    },
    {
      name: "certdeck_jobs_active",
      help: "Jobs queued, running, or waiting for the operator, by type.",
      type: "gauge",
      samples: JOB_TYPES.flatMap((type) => ACTIVE_JOB_STATUSES.map((status) => ({ labels: { type, status }, value: jobCount(type, status) }))),
    },
    ...endpointFamilies,
  ];

  // Only where the scheduler runs (the dashboard's server process); absent() alerts catch its absence.
  const scheduler = readSchedulerHealth();
  if (scheduler) {
    families.push(
      {
        name: "certdeck_scheduler_last_tick_timestamp_seconds",
        help: "When the renewal scheduler's last tick finished, in seconds since the Unix epoch (0 before the first one).",
        type: "gauge",
        samples: [{ value: scheduler.lastTickFinishedAt ? scheduler.lastTickFinishedAt.getTime() / 1000 : 0 }],
      },
      {
        name: "certdeck_scheduler_lag_seconds",
        help: "How far the renewal scheduler is behind: time since its last tick finished, beyond one tick interval. 0 when on time.",
        type: "gauge",
        samples: [{ value: schedulerLagSeconds(scheduler, now) }],
      },
      {
        name: "certdeck_scheduler_last_tick_duration_seconds",
        help: "How long the renewal scheduler's last tick took.",
        type: "gauge",
        samples: scheduler.lastTickDurationMs === null ? [] : [{ value: scheduler.lastTickDurationMs / 1000 }],
      },
      {
        name: "certdeck_scheduler_ticks_total",
        help: "Renewal scheduler ticks since the server started, by result.",
        type: "counter",
        samples: [
          { labels: { result: "succeeded" }, value: scheduler.ticks.succeeded },
          { labels: { result: "failed" }, value: scheduler.ticks.failed },
        ],
      },
      {
        name: "certdeck_scheduler_interval_seconds",
        help: "The renewal scheduler's tick interval.",
        type: "gauge",
        samples: [{ value: scheduler.intervalMs / 1000 }],
      },
    );
  }
  return families;
}
