"use client";

import { useActionState, useState, useTransition } from "react";
import { CircleCheck, CircleX, Hand, ScanSearch } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { Button } from "@/components/ui/button";
import type { ManualTxtRecord } from "@/lib/domain/dns-providers/manual-state";
import type { FormState } from "@/lib/web/form-state";
import { checkManualDnsAction, confirmManualDnsAction, stopManualDnsWaitAction, type ManualDnsCheckResult } from "./manual-dns-actions";

export interface ManualDnsPanelProps {
  certificateId: string;
  jobId: string;
  records: ManualTxtRecord[];
  /** Why the last check after "Done" did not pass. */
  problem: string | null;
  doneLabel: string;
  /** Whether the certificate has a version in service (a renewal) or was never issued. */
  hasCurrentVersion: boolean;
}

/**
 * The manual DNS step of a job: the TXT records to create (copyable), a one-shot look at the
 * nameservers, and the Done button that lets the job go on.
 */
export function ManualDnsPanel({ certificateId, jobId, records, problem, doneLabel, hasCurrentVersion }: ManualDnsPanelProps) {
  const [confirmState, confirmAction] = useActionState<FormState, FormData>(confirmManualDnsAction, {});
  const [check, setCheck] = useState<ManualDnsCheckResult | null>(null);
  const [isChecking, startCheck] = useTransition();
  const rows = records.flatMap((record) => record.values.map((value) => ({ name: record.name, value })));

  return (
    <section
      aria-labelledby="manual-dns-title"
      className="mb-5 rounded-lg border border-amber-300 bg-amber-50/60 shadow-xs dark:border-amber-500/40 dark:bg-amber-500/5"
    >
      <header className="flex items-start gap-2.5 border-b border-amber-200 px-4 py-3 dark:border-amber-500/30">
        <Hand aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-amber-700 dark:text-amber-300" />
        <div>
          <h2 id="manual-dns-title" className="text-sm font-semibold text-amber-950 dark:text-amber-100">
            Waiting for you: create these DNS records
          </h2>
          <p className="mt-0.5 text-sm text-amber-900/80 dark:text-amber-200/80">
            At your DNS host, create one TXT record per row
            {rows.length > records.length ? " (a wildcard and its base name share a name: create both records)" : ""}. Then press <strong>{doneLabel}</strong>:
            CertDeck checks that every authoritative nameserver shows them, then asks the CA to validate.
          </p>
        </div>
      </header>

      <div className="space-y-4 bg-white px-4 py-4 dark:bg-zinc-900">
        {problem && (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-200"
          >
            <p className="font-medium">Not visible everywhere at the last check</p>
            <p className="mt-0.5">{problem}</p>
          </div>
        )}

        {/* On a phone each record is a block (name, then value, each on its own line); the
            explicit roles keep it a table for screen readers whatever its display. */}
        <div className="overflow-x-auto">
          <table role="table" className="w-full text-sm max-sm:block">
            <caption className="sr-only">TXT records to create</caption>
            <thead role="rowgroup" className="text-left text-xs uppercase tracking-wide text-zinc-500 max-sm:sr-only dark:text-zinc-400">
              <tr role="row" className="border-b border-zinc-200 dark:border-zinc-800">
                <th role="columnheader" scope="col" className="py-2 pr-4 font-medium">
                  Name
                </th>
                <th role="columnheader" scope="col" className="py-2 pr-4 font-medium">
                  Type
                </th>
                <th role="columnheader" scope="col" className="py-2 font-medium">
                  Value
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup" className="divide-y divide-zinc-100 max-sm:block dark:divide-zinc-800">
              {rows.map((row) => (
                <tr role="row" key={`${row.name} ${row.value}`} className="max-sm:flex max-sm:flex-col max-sm:py-1.5">
                  <td role="cell" className="py-1.5 pr-4 max-sm:py-0 max-sm:pr-0">
                    <span className="flex items-center gap-1">
                      <span aria-hidden className="w-10 shrink-0 text-xs text-zinc-500 sm:hidden dark:text-zinc-400">
                        Name
                      </span>
                      <code className="select-all break-all font-mono text-xs">{row.name}</code>
                      <CopyButton text={row.name} label={`Copy the name ${row.name}`} />
                    </span>
                  </td>
                  <td role="cell" className="py-1.5 pr-4 font-mono text-xs max-sm:sr-only">
                    TXT
                  </td>
                  <td role="cell" className="py-1.5 max-sm:py-0">
                    <span className="flex items-center gap-1">
                      <span aria-hidden className="w-10 shrink-0 text-xs text-zinc-500 sm:hidden dark:text-zinc-400">
                        Value
                      </span>
                      <code data-testid="txt-value" className="select-all break-all font-mono text-xs">
                        {row.value}
                      </code>
                      <CopyButton text={row.value} label={`Copy the value ${row.value}`} />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <details className="text-sm">
          <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">As zone file lines (BIND, Knot, PowerDNS)</summary>
          <pre className="mt-1.5 overflow-x-auto rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100 dark:bg-black">
            {rows.map((row) => `${row.name}. 60 IN TXT "${row.value}"`).join("\n")}
          </pre>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            A short TTL (60 s) lets a corrected value show sooner. Remember to raise the zone&apos;s SOA serial.
          </p>
        </details>

        <div className="flex flex-wrap items-center gap-2">
          <form action={confirmAction}>
            <input type="hidden" name="jobId" value={jobId} />
            <input type="hidden" name="certificateId" value={certificateId} />
            <SubmitButton pendingLabel="Resuming…">{doneLabel}</SubmitButton>
          </form>
          <Button
            type="button"
            variant="secondary"
            onClick={() => startCheck(async () => setCheck(await checkManualDnsAction(certificateId, jobId)))}
            disabled={isChecking}
            aria-busy={isChecking}
            icon={ScanSearch}
          >
            {isChecking ? "Checking…" : "Check now"}
          </Button>
          <ConfirmDialog
            trigger="Stop waiting"
            triggerVariant="ghost"
            title="Stop waiting for the DNS records?"
            confirmLabel="Stop waiting"
            pendingLabel="Stopping…"
            action={stopManualDnsWaitAction}
            fields={{ jobId, certificateId }}
          >
            The job ends without asking the CA to validate.{" "}
            {hasCurrentVersion
              ? "The certificate in service stays as it is; the renewal is tried again in a day, or when you press Renew."
              : "Press Try again later to start over (with new TXT values)."}
          </ConfirmDialog>
        </div>
        <FormError message={confirmState.formError} />

        <div aria-live="polite">
          {isChecking ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">Asking every authoritative nameserver…</p>
          ) : check ? (
            <CheckResult result={check} />
          ) : null}
        </div>
      </div>
    </section>
  );
}

function CheckResult({ result }: { result: ManualDnsCheckResult }) {
  if (!result.ok) return <FormError message={result.error} />;
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 px-3 py-2.5 text-sm dark:border-zinc-800">
      <p className={result.isComplete ? "font-medium text-emerald-700 dark:text-emerald-400" : "font-medium text-amber-800 dark:text-amber-300"}>
        {result.isComplete ? "Every authoritative nameserver shows the records: press Done." : "Not visible everywhere yet."}
      </p>
      {result.records.map((record) => (
        <div key={record.name}>
          <p className="font-mono text-xs">
            {record.name}
            {record.recordName && <span className="text-zinc-500 dark:text-zinc-400"> → CNAME → {record.recordName}</span>}
            {record.zone && <span className="font-sans text-zinc-500 dark:text-zinc-400"> · zone {record.zone}</span>}
          </p>
          {record.problem && <p className="text-xs text-red-600 dark:text-red-400">{record.problem}</p>}
          <ul className="mt-1 space-y-0.5">
            {record.servers.map((server) => (
              <li key={`${server.nameserver} ${server.server}`} className="flex items-start gap-1.5 text-xs">
                {server.isVisible ? (
                  <CircleCheck aria-label="shows the records" className="mt-px h-3.5 w-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" />
                ) : (
                  <CircleX aria-label="does not show them yet" className="mt-px h-3.5 w-3.5 shrink-0 text-red-600 dark:text-red-400" />
                )}
                <span>
                  {server.nameserver} <span className="text-zinc-500 dark:text-zinc-400">({server.server})</span>
                  {server.problem && <span className="text-zinc-700 dark:text-zinc-300">: {server.problem}</span>}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
