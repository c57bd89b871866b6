import { MANUAL_DNS_DONE_LABEL } from "@/lib/domain/dns-providers/manual-responder";
import { readManualDnsState } from "@/lib/domain/dns-providers/manual-state";
import { ManualDnsPanel } from "./manual-dns-panel";

/** The manual DNS panel for a job parked as "waiting", when it waits for TXT records. */
export async function ManualDnsWaiting({ certificateId, jobId, hasCurrentVersion }: { certificateId: string; jobId: string; hasCurrentVersion: boolean }) {
  const state = await readManualDnsState(jobId);
  if (!state.manualDnsRecords?.length) return null;
  return (
    <ManualDnsPanel
      certificateId={certificateId}
      jobId={jobId}
      records={state.manualDnsRecords}
      problem={state.manualDnsProblem ?? null}
      doneLabel={MANUAL_DNS_DONE_LABEL}
      hasCurrentVersion={hasCurrentVersion}
    />
  );
}
