import { AlertTriangle, CheckCircle2, XCircle } from "lucide-react";
import { formatDateTime } from "@/lib/core/dates";
import type { CheckStatus, PreflightCheck, PreflightCheckKind, PreflightReport } from "@/lib/domain/preflight/preflight-types";

const STATUS = {
  pass: { Icon: CheckCircle2, label: "Passed", colour: "text-emerald-600 dark:text-emerald-400" },
  warn: { Icon: AlertTriangle, label: "Warning", colour: "text-amber-600 dark:text-amber-400" },
  fail: { Icon: XCircle, label: "Failed", colour: "text-red-600 dark:text-red-400" },
} as const satisfies Record<CheckStatus, unknown>;

const SUMMARY: Record<CheckStatus, string> = {
  pass: "All checks passed: the CA should be able to validate these names.",
  warn: "Nothing blocks the order, but read the warnings.",
  fail: "The CA would refuse: fix the failed checks first.",
};

const KIND_LABELS: Record<PreflightCheckKind, string> = {
  dns: "DNS",
  "host-address": "Address",
  http: "HTTP",
  "standalone-port": "Port",
  caa: "CAA",
};

/**
 * A pre-flight report: the overall verdict, then the checks grouped by identifier (host-wide ones,
 * such as the standalone port, first), each with its sentence and what to do. Shared by the add
 * form and the certificate page; timeZone is optional because the add form shows a fresh report.
 */
export function PreflightReportView({ report, timeZone }: { report: PreflightReport; timeZone?: string }) {
  const groups = groupByIdentifier(report.checks);
  const { Icon, colour } = STATUS[report.status];
  return (
    <div className="space-y-3" data-testid="preflight-report">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <p className="flex items-center gap-1.5 text-sm font-medium">
          <Icon aria-hidden className={`h-4 w-4 shrink-0 ${colour}`} />
          {SUMMARY[report.status]}
        </p>
        {timeZone && (
          <time dateTime={report.checkedAt} className="text-xs text-zinc-500 dark:text-zinc-400">
            checked {formatDateTime(new Date(report.checkedAt), timeZone)}
          </time>
        )}
      </div>
      {groups.map(({ identifier, checks }) => (
        <div key={identifier ?? ""} className="space-y-1.5">
          <h3 className={`text-xs font-semibold ${identifier ? "font-mono" : "uppercase tracking-wide text-zinc-500 dark:text-zinc-400"}`}>
            {identifier ?? "This host"}
          </h3>
          <ul aria-label={identifier ? `Checks for ${identifier}` : "Checks for this host"} className="space-y-2">
            {checks.map((check, index) => (
              <CheckItem key={index} check={check} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function CheckItem({ check }: { check: PreflightCheck }) {
  const { Icon, label, colour } = STATUS[check.status];
  return (
    <li className="flex gap-2 text-sm">
      <Icon aria-hidden className={`mt-0.5 h-4 w-4 shrink-0 ${colour}`} />
      <div className="min-w-0 space-y-0.5">
        <p className="break-words">
          <span className="sr-only">{label}: </span>
          <span className="mr-1.5 text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{KIND_LABELS[check.kind]}</span>
          {check.message}
        </p>
        {check.fix && check.status !== "pass" && <p className="break-words text-xs text-zinc-600 dark:text-zinc-400">{check.fix}</p>}
      </div>
    </li>
  );
}

function groupByIdentifier(checks: PreflightCheck[]): Array<{ identifier?: string; checks: PreflightCheck[] }> {
  const groups = new Map<string | undefined, PreflightCheck[]>();
  groups.set(undefined, []);
  for (const check of checks) {
    const group = groups.get(check.identifier) ?? [];
    group.push(check);
    groups.set(check.identifier, group);
  }
  return [...groups].filter(([, group]) => group.length > 0).map(([identifier, group]) => ({ identifier, checks: group }));
}
