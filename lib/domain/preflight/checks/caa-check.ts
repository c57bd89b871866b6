/**
 * CAA (RFC 8659): may this account's CA issue for the name? The closest CAA record set (the name,
 * then its parents) decides; the CA's names come from its directory's meta.caaIdentities.
 * evaluateCaaSet and describeCaaCheck are pure and unit-tested; checkCaa does the lookups.
 */
import { lookupCaa, type CaaRecord, type DnsClient, type DnsFailure } from "@/lib/protocol/dns/dns-client";
import { listAnd } from "@/lib/domain/preflight/checks/dns-check";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

/** What CertDeck knows about the CA for CAA purposes. */
export type CaaAuthority =
  | {
      ok: true;
      /** meta.caaIdentities; empty when the directory does not say. */
      identities: string[];
      /** "Let's Encrypt (letsencrypt.org)" */
      label: string;
      /** For accounturi parameters; null before registration. */
      accountUrl: string | null;
    }
  | { ok: false; error: string };

/** Property tags a CA understands (RFC 8659, RFC 9495, the BIMI draft); others with flag 128 block issuance. */
const KNOWN_TAGS: ReadonlySet<string> = new Set(["issue", "issuewild", "iodef", "issuemail", "issuevmc", "contactemail", "contactphone"]);
const ISSUER_CRITICAL = 128;

const KNOWN_CAS: Record<string, string> = {
  "letsencrypt.org": "Let's Encrypt",
  "pki.goog": "Google Trust Services",
  "sectigo.com": "Sectigo (ZeroSSL)",
  "ssl.com": "SSL.com",
  "digicert.com": "DigiCert",
  "buypass.com": "Buypass",
};

/** "Let's Encrypt (letsencrypt.org)", or "the CA at host (identities)" for CAs CertDeck does not know by name. */
export function describeCaaAuthority(identities: string[], directoryHost: string): string {
  const known = identities.map((identity) => KNOWN_CAS[identity.toLowerCase()]).find(Boolean);
  const names = identities.join(", ");
  return names ? `${known ?? `the CA at ${directoryHost}`} (${names})` : (known ?? `the CA at ${directoryHost}`);
}

export interface CaaValue {
  /** Lower-case issuer domain; null for an empty issuer (";"), which allows no CA. */
  issuer: string | null;
  parameters: Record<string, string>;
}

/** `letsencrypt.org; validationmethods=http-01; accounturi=https://…` */
export function parseCaaValue(value: string): CaaValue {
  const [issuerPart, ...parameterParts] = value.split(";");
  const issuer = issuerPart.trim().toLowerCase().replace(/\.$/, "");
  const parameters: Record<string, string> = {};
  for (const part of parameterParts) {
    const equals = part.indexOf("=");
    if (equals <= 0) continue;
    parameters[part.slice(0, equals).trim().toLowerCase()] = part.slice(equals + 1).trim();
  }
  return { issuer: issuer === "" ? null : issuer, parameters };
}

export function formatCaaRecord(record: CaaRecord): string {
  return `${record.flags} ${record.tag} "${record.value}"`;
}

export type CaaRestriction = { parameter: "validationmethods"; value: string } | { parameter: "accounturi"; value: string };

export type CaaVerdict =
  /** No issue (or, for a wildcard, issuewild/issue) property: any CA may issue. */
  | { outcome: "no-policy" }
  | { outcome: "allowed"; record: CaaRecord }
  /** Relevant records exist and none authorizes this CA; `restrictions` are records that name it but exclude this order. */
  | { outcome: "forbidden"; records: CaaRecord[]; restrictions: CaaRestriction[]; isEmptyIssuerOnly: boolean }
  | { outcome: "unknown-critical"; record: CaaRecord }
  /** The CA's identities are unknown and a record names some CA: cannot tell. */
  | { outcome: "unknown-ca"; records: CaaRecord[] };

/**
 * RFC 8659 §4: unknown critical properties forbid issuance; a wildcard uses issuewild when the set
 * has any, else issue; a record authorizes the CA when its issuer is one of the CA's identities
 * and its parameters (validationmethods, accounturi) allow this order.
 */
export function evaluateCaaSet(
  records: CaaRecord[],
  options: { isWildcard: boolean; identities: string[]; accountUrl?: string | null; challengeType?: string },
): CaaVerdict {
  const critical = records.find((record) => record.flags & ISSUER_CRITICAL && !KNOWN_TAGS.has(record.tag.toLowerCase()));
  if (critical) return { outcome: "unknown-critical", record: critical };

  const withTag = (tag: string) => records.filter((record) => record.tag.toLowerCase() === tag);
  const wild = withTag("issuewild");
  const relevant = options.isWildcard && wild.length > 0 ? wild : withTag("issue");
  if (relevant.length === 0) return { outcome: "no-policy" };

  const identities = options.identities.map((identity) => identity.toLowerCase().replace(/\.$/, ""));
  const challengeType = options.challengeType ?? "http-01";
  const parsed = relevant.map((record) => ({ record, value: parseCaaValue(record.value) }));
  const isEmptyIssuerOnly = parsed.every(({ value }) => value.issuer === null);
  if (identities.length === 0 && !isEmptyIssuerOnly) return { outcome: "unknown-ca", records: relevant };

  const restrictions: CaaRestriction[] = [];
  for (const { record, value } of parsed) {
    if (value.issuer === null || !identities.includes(value.issuer)) continue;
    const methods = value.parameters.validationmethods;
    if (
      methods !== undefined &&
      !methods
        .split(",")
        .map((method) => method.trim().toLowerCase())
        .includes(challengeType)
    ) {
      restrictions.push({ parameter: "validationmethods", value: methods });
      continue;
    }
    const accountUri = value.parameters.accounturi;
    if (accountUri !== undefined && accountUri !== options.accountUrl) {
      restrictions.push({ parameter: "accounturi", value: accountUri });
      continue;
    }
    return { outcome: "allowed", record };
  }
  return { outcome: "forbidden", records: relevant, restrictions, isEmptyIssuerOnly };
}

/** Where the closest CAA record set was found (or that there is none, or the lookup failed). */
export type CaaSetLookup = { found: true; domain: string; records: CaaRecord[] } | { found: false } | { found: false; domain: string; failure: DnsFailure };

/** The name, then each parent up to the top-level domain; the first one with CAA records wins. */
export function caaLookupNames(name: string): string[] {
  const labels = name.replace(/^\*\./, "").replace(/\.$/, "").split(".");
  return labels.map((_, index) => labels.slice(index).join("."));
}

export async function findClosestCaaSet(client: DnsClient, name: string): Promise<CaaSetLookup> {
  for (const domain of caaLookupNames(name)) {
    const result = await lookupCaa(client, domain);
    if (result.ok) return { found: true, domain, records: result.records };
    if (result.failure.code !== "nodata" && result.failure.code !== "nxdomain") return { found: false, domain, failure: result.failure };
  }
  return { found: false };
}

/** The check for one DNS identifier, from the closest CAA set and what is known about the CA. */
export function describeCaaCheck(name: string, lookup: CaaSetLookup, authority: CaaAuthority | null): PreflightCheck {
  const base = { kind: "caa" as const, identifier: name };
  const isWildcard = name.startsWith("*.");
  if (!lookup.found) {
    if (!("failure" in lookup)) {
      return { ...base, status: "pass", message: `No CAA records for ${name} or its parent domains: any CA may issue.` };
    }
    const { domain, failure } = lookup;
    return failure.code === "servfail"
      ? {
          ...base,
          status: "fail",
          message: `The CAA lookup for ${domain} fails (SERVFAIL); the CA must check CAA and refuses to issue when it cannot.`,
          fix: `Make the nameservers of ${domain} answer CAA queries (an empty answer is fine). Old DNS appliances and broken DNSSEC cause this.`,
          detail: { domain, error: failure.errno },
        }
      : {
          ...base,
          status: "warn",
          message: `CertDeck could not look up the CAA records of ${domain} (${failure.errno}), so it cannot tell whether the CA may issue.`,
          detail: { domain, error: failure.errno },
        };
  }

  const { domain, records } = lookup;
  const shown = listAnd(records.map(formatCaaRecord));
  const detail = { domain, records };
  if (authority && !authority.ok) {
    const verdict = evaluateCaaSet(records, { isWildcard, identities: [] });
    if (verdict.outcome === "no-policy")
      return { ...base, status: "pass", message: `${domain} has CAA ${shown}, which does not restrict which CA issues for ${name}.`, detail };
    return {
      ...base,
      status: "warn",
      message: `${domain} has CAA ${shown}, and CertDeck could not read the CA's directory to learn its CAA name, so it cannot tell whether the CA may issue.`,
      fix: authority.error,
      detail,
    };
  }
  const identities = authority?.ok ? authority.identities : [];
  const caLabel = authority?.ok ? authority.label : "the CA";
  const verdict = evaluateCaaSet(records, { isWildcard, identities, accountUrl: authority?.ok ? authority.accountUrl : null });
  const tag = isWildcard ? "issuewild" : "issue";
  switch (verdict.outcome) {
    case "no-policy":
      return { ...base, status: "pass", message: `${domain} has CAA ${shown}, which does not restrict which CA issues for ${name}.`, detail };
    case "allowed":
      return { ...base, status: "pass", message: `${domain} has CAA ${formatCaaRecord(verdict.record)}: it allows ${caLabel}.`, detail };
    case "unknown-critical":
      return {
        ...base,
        status: "fail",
        message: `${domain} has CAA ${formatCaaRecord(verdict.record)}: a critical property no CA understands, so no CA may issue.`,
        fix: `Remove that record from ${domain}, or clear its critical flag (write 0 instead of 128).`,
        detail,
      };
    case "unknown-ca":
      return {
        ...base,
        status: "warn",
        message: `${domain} has CAA ${listAnd(verdict.records.map(formatCaaRecord))}, and the CA's directory does not say which CAA name it goes by, so CertDeck cannot tell whether it may issue.`,
        fix: `Ask the CA for its CAA identity and make sure ${domain} has an "${tag}" record for it.`,
        detail,
      };
    case "forbidden": {
      const records = listAnd(verdict.records.map(formatCaaRecord));
      const add = identities.length > 0 ? `0 ${tag} "${identities[0]}"` : `an "${tag}" record for your CA`;
      if (verdict.isEmptyIssuerOnly) {
        return {
          ...base,
          status: "fail",
          message: `${domain} has CAA ${records}: no CA may issue${isWildcard ? " wildcard certificates" : ""} for it.`,
          fix: `Replace it with ${add}.`,
          detail,
        };
      }
      if (verdict.restrictions.length > 0) {
        const accountUrl = authority?.ok ? authority.accountUrl : null;
        const reasons = verdict.restrictions.map((restriction) =>
          restriction.parameter === "validationmethods"
            ? `only with validationmethods=${restriction.value}, and CertDeck validates with http-01`
            : `only for the account ${restriction.value}${accountUrl ? `, not this one (${accountUrl})` : ", and this account is not registered yet"}`,
        );
        return {
          ...base,
          status: "fail",
          message: `${domain} has CAA ${records}: it allows ${caLabel} ${reasons.join("; or ")}.`,
          fix:
            verdict.restrictions[0].parameter === "validationmethods"
              ? `Add http-01 to validationmethods (for example 0 ${tag} "${identities[0]}; validationmethods=http-01").`
              : `Change accounturi to this account's URL, or order with the account it names.`,
          detail,
        };
      }
      return {
        ...base,
        status: "fail",
        message: `${domain} has CAA ${records}: it does not allow ${caLabel}.`,
        fix: `Add ${add} to the CAA records of ${domain} (keep the others if you still use those CAs).`,
        detail,
      };
    }
  }
}

export async function checkCaa(client: DnsClient, name: string, getAuthority: () => Promise<CaaAuthority>): Promise<PreflightCheck> {
  const lookup = await findClosestCaaSet(client, name);
  // The CA's directory is read only when a record set needs its identities to be judged.
  const needsAuthority =
    lookup.found && !["no-policy", "unknown-critical"].includes(evaluateCaaSet(lookup.records, { isWildcard: name.startsWith("*."), identities: [] }).outcome);
  return describeCaaCheck(name, lookup, needsAuthority ? await getAuthority() : null);
}
