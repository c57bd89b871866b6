import type { ChallengeResponder, ChallengeToAnswer, ResponderContext } from "@/lib/protocol/acme/challenge-responder";
import { dnsLookupSettings } from "@/lib/domain/dns-providers/dns-lookup-settings";
import { waitForTxtRecords } from "@/lib/protocol/dns/propagation";
import { isSameTxtRecords, normalizeTxtRecords, parseManualDnsState, type ManualTxtRecord } from "@/lib/domain/dns-providers/manual-state";
import { AppError } from "@/lib/core/app-error";

/** What the manual provider needs to know about its DnsProvider row. */
export interface ManualDnsProvider {
  name: string;
  propagationTimeoutSeconds: number;
}

/** The label of the button that resumes the job (the page and the instructions use the same words). */
export const MANUAL_DNS_DONE_LABEL = "Done — records created";

/** RFC 8555 §8.4: the TXT record for `example.com` and for `*.example.com` is `_acme-challenge.example.com`. */
export function txtRecordNameFor(challenge: Pick<ChallengeToAnswer, "identifier">): string {
  return `_acme-challenge.${challenge.identifier.value.replace(/\.$/, "")}`;
}

/** Adds one challenge's TXT value to the records, grouped by name. */
export function addTxtValue(records: ManualTxtRecord[], challenge: Pick<ChallengeToAnswer, "identifier" | "keyAuthorization">): ManualTxtRecord[] {
  const name = txtRecordNameFor(challenge);
  const existing = records.find((record) => record.name === name);
  const others = records.filter((record) => record !== existing);
  return normalizeTxtRecords([...others, { name, values: [...(existing?.values ?? []), challenge.keyAuthorization] }]);
}

/** `_acme-challenge.example.com TXT "value1", "value2"` lines for the job log and instructions. */
export function describeTxtRecords(records: ManualTxtRecord[]): string {
  return records.map((record) => `${record.name} TXT ${record.values.map((value) => `"${value}"`).join(", ")}`).join("; ");
}

/**
 * DNS-01 with records the operator creates by hand at their DNS host. The first run parks the
 * job ("waiting") with the records to create, saved in the responder's state for the certificate
 * page. After the operator presses Done, the job runs again (same order, same values), checks that
 * every authoritative nameserver shows the values, and goes on; when one does not yet, the job
 * waits again with the reason, so the operator can fix the record and press Done again.
 */
export function createManualDnsResponder(provider: ManualDnsProvider, context: ResponderContext): ChallengeResponder {
  let records: ManualTxtRecord[] = [];
  return {
    type: "dns-01",
    description: `TXT records created by hand (manual DNS provider "${provider.name}")`,

    async publish(challenge) {
      records = addTxtValue(records, challenge);
    },

    async awaitReady() {
      const { log } = context;
      const saved = parseManualDnsState(context.readState());
      let confirmedAt = saved.manualDnsConfirmedAt;
      // "Done" pressed after the records were shown confirms exactly the records shown.
      const resumedAt = context.operatorResumedAt;
      if (!confirmedAt && saved.manualDnsAskedAt && resumedAt && resumedAt.getTime() > Date.parse(saved.manualDnsAskedAt)) {
        confirmedAt = resumedAt.toISOString();
        await context.saveState({ manualDnsConfirmedAt: confirmedAt, manualDnsProblem: null });
      }
      if (!confirmedAt || !isSameTxtRecords(saved.manualDnsRecords, records)) {
        await context.saveState({ manualDnsRecords: records, manualDnsAskedAt: new Date().toISOString(), manualDnsConfirmedAt: null, manualDnsProblem: null });
        for (const record of records) await log("dns", `Create at your DNS host: ${describeTxtRecords([record])}`);
        const count = records.reduce((total, record) => total + record.values.length, 0);
        return context.askOperator(
          `Waiting for you: create ${count === 1 ? "this TXT record" : `these ${count} TXT records`} at your DNS host, then press "${MANUAL_DNS_DONE_LABEL}" on the certificate's page.`,
          {
            notice: `Create these TXT records at your DNS host: ${describeTxtRecords(records)}; then press "${MANUAL_DNS_DONE_LABEL}" on the certificate's page`,
          },
        );
      }
      try {
        await waitForTxtRecords(
          records.flatMap((record) => record.values.map((value) => ({ fqdn: record.name, value }))),
          { timeoutMs: provider.propagationTimeoutSeconds * 1000, log, ...(await dnsLookupSettings()) },
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Not a failure of the certificate: the operator can fix the record and press Done again.
        await context.saveState({ manualDnsAskedAt: new Date().toISOString(), manualDnsConfirmedAt: null, manualDnsProblem: error.userMessage });
        return context.askOperator(
          `Waiting for you again: the TXT records are not visible everywhere yet. ${error.userMessage} When they are right, press "${MANUAL_DNS_DONE_LABEL}" again.`,
        );
      }
    },

    async close(options) {
      if (options?.parked || records.length === 0) return;
      const names = records.map((record) => record.name).join(", ");
      await context.log("dns", `You can now delete the TXT records at ${names}: the CA no longer needs them.`);
    },
  };
}
