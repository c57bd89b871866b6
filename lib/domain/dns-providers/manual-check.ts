import { AppError } from "@/lib/core/app-error";
import { checkTxtRecords } from "@/lib/protocol/dns/propagation";
import { defineCommand } from "@/lib/domain/command/define-command";
import { dnsLookupSettings } from "@/lib/domain/dns-providers/dns-lookup-settings";
import { findCertificateOfJob, manualDnsJobInput } from "@/lib/domain/dns-providers/manual-confirm";
import { readManualDnsState } from "@/lib/domain/dns-providers/manual-state";

/** One record name as each authoritative nameserver shows it, for the "Check now" table. */
export interface ManualDnsCheckRecord {
  name: string;
  /** Where the record must be after CNAMEs, when that differs from `name`. */
  recordName: string | null;
  zone: string | null;
  isVisible: boolean;
  /** Why the nameservers could not even be asked (no zone, no NS …). */
  problem: string | null;
  servers: Array<{ nameserver: string; server: string; isVisible: boolean; problem: string | null }>;
}

export interface ManualDnsCheck {
  checkedAt: string;
  isComplete: boolean;
  summary: string;
  records: ManualDnsCheckRecord[];
}

/**
 * "Check now" while a job waits for manual DNS records: one look at every authoritative
 * nameserver, changing nothing (the job still waits for "Done"). Bounded: each server gets 2 s,
 * the whole check 20 s.
 */
export const checkManualDnsRecords = defineCommand(
  { name: "certificate.dns-check", permission: "read", does: "check DNS records", input: manualDnsJobInput },
  async ({ certificateId, jobId }): Promise<ManualDnsCheck> => {
    await findCertificateOfJob(certificateId, jobId);
    const { manualDnsRecords } = await readManualDnsState(jobId);
    if (!manualDnsRecords?.length) throw new AppError("conflict", "This job is not waiting for DNS records.");
    let report: Awaited<ReturnType<typeof checkTxtRecords>>;
    try {
      report = await checkTxtRecords(
        manualDnsRecords.flatMap((record) => record.values.map((value) => ({ fqdn: record.name, value }))),
        { signal: AbortSignal.timeout(20_000), ...(await dnsLookupSettings()) },
      );
    } catch (error) {
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "DnsTransportError")) {
        throw new AppError("upstream_failed", "The DNS check took longer than 20 seconds; try again, or check the DNS resolvers under Settings → Network.", {
          cause: error,
          isRetryable: true,
        });
      }
      throw error;
    }
    return {
      checkedAt: report.checkedAt,
      isComplete: report.isComplete,
      summary: report.summary,
      records: report.records.map((record) => ({
        name: record.fqdn,
        recordName: record.recordName !== record.fqdn ? record.recordName : null,
        zone: record.zone ?? null,
        isVisible: record.isVisible,
        problem: record.problem ?? null,
        servers: record.servers.map((server) => ({
          nameserver: server.nameserver,
          server: server.server,
          isVisible: server.status === "visible",
          problem: server.problem ?? null,
        })),
      })),
    };
  },
);
