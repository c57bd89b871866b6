"use client";

import { useState, useTransition } from "react";
import { ScanSearch } from "lucide-react";
import { FormError } from "@/components/form-error";
import { PreflightReportView } from "@/components/preflight-report";
import { Button } from "@/components/ui/button";
import { CollapsibleCard } from "@/components/ui/collapsible-card";
import { formatDateTime } from "@/lib/core/dates";
import { parsePreflightReport, type PreflightReport } from "@/lib/domain/preflight/preflight-types";
import { checkCertificateAction, type CheckCertificateResult } from "./preflight-actions";

export interface PreflightPanelProps {
  certificateId: string;
  /** Certificate.lastPreflight as stored (JSON), or null when it was never checked. */
  lastPreflight: string | null;
  /** The server's display time zone (lib/core/env.ts displayTimeZone). */
  timeZone: string;
}

/**
 * The certificate's last pre-flight report and a "Check" button that runs a new one. A report saved
 * later by a job (the page refreshes itself while one runs) replaces an older one shown here.
 */
export function PreflightPanel({ certificateId, lastPreflight, timeZone }: PreflightPanelProps) {
  const [result, setResult] = useState<CheckCertificateResult | null>(null);
  const [isChecking, startCheck] = useTransition();
  const saved = parsePreflightReport(lastPreflight);
  const fresh = result?.ok ? result.report : null;
  const report = newerReport(saved, fresh);
  // Open when the last report found something; a clean one stays a line until asked for.
  const [isOpenAtFirst] = useState(() => Boolean(saved && saved.status !== "pass"));

  function check() {
    startCheck(async () => setResult(await checkCertificateAction(certificateId)));
  }

  return (
    <CollapsibleCard title="Pre-flight check" description={isChecking ? "Checking…" : describe(report, timeZone)} isOpen={isOpenAtFirst}>
      <div className="flex flex-wrap items-start justify-between gap-3 px-4 pt-3">
        <p className="min-w-0 flex-1 text-xs text-zinc-500 dark:text-zinc-400">
          What the CA will look at, checked from here: DNS, this host&apos;s addresses, the challenge URL, CAA.
        </p>
        <Button type="button" variant="secondary" size="sm" onClick={check} disabled={isChecking} aria-busy={isChecking} icon={ScanSearch}>
          {isChecking ? "Checking…" : "Check"}
        </Button>
      </div>
      <div aria-live="polite" className="px-4 py-4">
        {isChecking ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Looking up DNS and fetching the challenge URL…</p>
        ) : result && !result.ok ? (
          <FormError message={result.error} />
        ) : report ? (
          <PreflightReportView report={report} timeZone={timeZone} />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Not checked yet.</p>
        )}
      </div>
    </CollapsibleCard>
  );
}

/** The closed section's line: the counts and when. */
function describe(report: PreflightReport | null, timeZone: string): string {
  if (!report) return "Not checked yet";
  const count = (status: string) => report.checks.filter((check) => check.status === status).length;
  const failed = count("fail");
  const warnings = count("warn");
  const verdict =
    failed + warnings === 0
      ? `${count("pass")} passed`
      : [failed ? `${failed} failed` : null, warnings ? `${warnings} ${warnings === 1 ? "warning" : "warnings"}` : null].filter(Boolean).join(", ");
  return `${verdict} · checked ${formatDateTime(new Date(report.checkedAt), timeZone)}`;
}

function newerReport(a: PreflightReport | null, b: PreflightReport | null): PreflightReport | null {
  if (!a || !b) return a ?? b;
  return Date.parse(b.checkedAt) >= Date.parse(a.checkedAt) ? b : a;
}
