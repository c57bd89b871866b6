import { dnsLookupSettings } from "@/lib/domain/dns-providers/dns-lookup-settings";
import { checkTxtRecords } from "@/lib/protocol/dns/propagation";
import { readManualDnsState } from "@/lib/domain/dns-providers/manual-state";
import { AppError } from "@/lib/core/app-error";

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

export type ManualDnsCheckResult =
  | { ok: true; checkedAt: string; isComplete: boolean; summary: string; records: ManualDnsCheckRecord[] }
  | { ok: false; error: string };

/**
 * "Check now" while a job waits for manual DNS records: one look at every authoritative
 * nameserver, changing nothing (the job still waits for "Done"). Bounded: each server gets 2 s.
 */
export async function checkManualDnsRecords(jobId: string): Promise<ManualDnsCheckResult> {
  const { manualDnsRecords } = await readManualDnsState(jobId);
  if (!manualDnsRecords?.length) return { ok: false, error: "This job is not waiting for DNS records." };
  try {
    const report = await checkTxtRecords(
      manualDnsRecords.flatMap((record) => record.values.map((value) => ({ fqdn: record.name, value }))),
      { signal: AbortSignal.timeout(20_000), ...(await dnsLookupSettings()) },
    );
    return {
      ok: true,
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
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.userMessage };
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "DnsTransportError")) {
      return { ok: false, error: "The DNS check took longer than 20 seconds; try again, or check the DNS resolvers under Settings → Network." };
    }
    throw error;
  }
}
