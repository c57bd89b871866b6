/**
 * The pre-flight report: what CertDeck checked before asking the CA, per identifier, in sentences
 * a sysadmin understands. Pure types and helpers, safe to import from client components.
 */
export type CheckStatus = "pass" | "warn" | "fail";

export type PreflightCheckKind = "dns" | "host-address" | "http" | "standalone-port" | "caa";

export interface PreflightCheck {
  kind: PreflightCheckKind;
  /** The certificate name (ACME identifier value) the check is about; absent for host-wide checks. */
  identifier?: string;
  status: CheckStatus;
  /** What was found, as a sentence a sysadmin understands. */
  message: string;
  /** What to do about it, when there is something to do. */
  fix?: string;
  /** Plain JSON for the curious (addresses, records, URL); never needed to understand the message. */
  detail?: unknown;
}

export interface PreflightReport {
  /** ISO 8601 */
  checkedAt: string;
  checks: PreflightCheck[];
  /** The worst status of all checks ("pass" when there are none). */
  status: CheckStatus;
}

const RANK: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

/** "fail" beats "warn" beats "pass"; nothing at all is "pass". */
export function worstStatus(statuses: Iterable<CheckStatus | { status: CheckStatus }>): CheckStatus {
  let worst: CheckStatus = "pass";
  for (const item of statuses) {
    const status = typeof item === "string" ? item : item.status;
    if (RANK[status] > RANK[worst]) worst = status;
  }
  return worst;
}

const STATUSES: ReadonlySet<string> = new Set(["pass", "warn", "fail"]);
const KINDS: ReadonlySet<string> = new Set(["dns", "host-address", "http", "standalone-port", "caa"]);

/**
 * Reads a stored report (Certificate.lastPreflight); null when there is none or it is not a
 * report this version understands (an old shape is better hidden than shown wrong).
 */
export function parsePreflightReport(json: string | null | undefined): PreflightReport | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { checkedAt, checks } = value as Record<string, unknown>;
  if (typeof checkedAt !== "string" || Number.isNaN(Date.parse(checkedAt)) || !Array.isArray(checks)) return null;
  const parsed: PreflightCheck[] = [];
  for (const check of checks as unknown[]) {
    if (typeof check !== "object" || check === null) return null;
    const { kind, identifier, status, message, fix, detail } = check as Record<string, unknown>;
    if (typeof kind !== "string" || !KINDS.has(kind) || typeof status !== "string" || !STATUSES.has(status) || typeof message !== "string") return null;
    parsed.push({
      kind: kind as PreflightCheckKind,
      status: status as CheckStatus,
      message,
      ...(typeof identifier === "string" ? { identifier } : {}),
      ...(typeof fix === "string" ? { fix } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
  }
  return { checkedAt, checks: parsed, status: worstStatus(parsed) };
}
