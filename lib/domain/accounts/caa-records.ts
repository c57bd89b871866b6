import type { Identifier } from "@/lib/protocol/names/names";

/** One CAA record (RFC 8659) in zone-file form, with what it does. */
export interface CaaRecordExample {
  record: string;
  meaning: string;
}

/**
 * The CAA records an operator writes so that only this CA may issue for `domain`: one `issue`
 * record per identity the directory lists in meta.caaIdentities, and, once the account is
 * registered, the stricter form bound to this ACME account (RFC 8657 `accounturi`).
 */
export function caaRecordsFor(domain: string, caaIdentities: string[], accountUrl?: string | null): CaaRecordExample[] {
  const owner = `${domain.replace(/\.$/, "")}.`;
  const records = caaIdentities.map((identity) => ({
    record: `${owner} CAA 0 issue "${identity}"`,
    meaning: `allows ${identity} to issue for ${domain} and its subdomains`,
  }));
  if (accountUrl) {
    for (const identity of caaIdentities) {
      records.push({
        record: `${owner} CAA 0 issue "${identity}; accounturi=${accountUrl}"`,
        meaning: "stricter: allows only this ACME account at that CA (RFC 8657)",
      });
    }
  }
  return records;
}

/** The name a CAA example is best written for: a DNS name of one of the account's certificates, else example.com. */
export function caaExampleDomain(identifiers: Identifier[]): string {
  const name = identifiers.find((identifier) => identifier.type === "dns")?.value;
  return name ? name.replace(/^\*\./, "") : "example.com";
}
