/**
 * DNS lookups for the pre-flight check, through the resolvers the operator chose (setting
 * `dnsResolvers`, "" = the system's). Answers are classified, not worded: the checks turn them
 * into sentences. Node built-ins only.
 */
import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";

/** Per try; c-ares doubles it for the second try, so a dead resolver costs 3 + 6 = 9 s per question. */
export const DNS_TIMEOUT_MS = 3000;
const DNS_TRIES = 2;
export const DNS_GIVE_UP_SECONDS = (DNS_TIMEOUT_MS * (2 ** DNS_TRIES - 1)) / 1000;
export const MAX_CNAME_HOPS = 8;

export type ResolverListResult = { ok: true; servers: string[] } | { ok: false; errors: string[] };

/**
 * Parses "1.1.1.1, 8.8.8.8:53, [2001:db8::53]:53" into the forms Resolver.setServers() takes.
 * Resolvers are IP addresses: setServers() cannot look a resolver's own name up.
 */
export function parseResolverList(text: string): ResolverListResult {
  const servers: string[] = [];
  const errors: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const server = normalizeResolver(entry);
    if (server) servers.push(server);
    else errors.push(`"${entry}": enter the resolver's IP address, optionally with a port (1.1.1.1, 127.0.0.1:8053, [2001:db8::53]:53)`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, servers };
}

function normalizeResolver(entry: string): string | null {
  const port = (text: string) => /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
  const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(entry);
  if (bracketed) {
    if (isIP(bracketed[1]) !== 6) return null;
    if (bracketed[2] === undefined) return bracketed[1];
    return port(bracketed[2]) ? `[${bracketed[1]}]:${Number(bracketed[2])}` : null;
  }
  if (isIP(entry) !== 0) return entry;
  const hostPort = /^([^:]+):([0-9]+)$/.exec(entry);
  if (hostPort && isIP(hostPort[1]) === 4 && port(hostPort[2])) return `${hostPort[1]}:${Number(hostPort[2])}`;
  return null;
}

export type DnsFailureCode = "nxdomain" | "nodata" | "servfail" | "timeout" | "refused" | "error";

export interface DnsFailure {
  code: DnsFailureCode;
  /** The resolver library's code (ENOTFOUND, ESERVFAIL, ...), for the detail. */
  errno: string;
}

export function classifyDnsError(error: unknown): DnsFailure {
  const errno = String((error as NodeJS.ErrnoException)?.code ?? "EUNKNOWN");
  switch (errno) {
    case "ENOTFOUND":
      return { code: "nxdomain", errno };
    case "ENODATA":
      return { code: "nodata", errno };
    case "ESERVFAIL":
      return { code: "servfail", errno };
    case "ETIMEOUT":
    case "ETIMEDOUT":
      return { code: "timeout", errno };
    case "ECONNREFUSED":
    case "EREFUSED":
      return { code: "refused", errno };
    default:
      return { code: "error", errno };
  }
}

export type RecordLookup<T> = { ok: true; records: T[] } | { ok: false; failure: DnsFailure };

export interface AddressLookup {
  name: string;
  /** CNAME targets in order: name → cnameChain[0] → cnameChain[1] … (empty: no CNAME). */
  cnameChain: string[];
  cnameProblem?: "loop" | "too-long";
  a: RecordLookup<string>;
  aaaa: RecordLookup<string>;
}

/** A CAA record as RFC 8659 writes it: flags (128 = issuer critical), tag, value. */
export interface CaaRecord {
  flags: number;
  tag: string;
  value: string;
}

export interface DnsClient {
  resolver: Resolver;
  /** What the messages name: the configured resolvers, or the system's. */
  describeServers(): string;
}

/** servers: setServers() forms from parseResolverList(); empty = the system's resolvers. */
export function createDnsClient(servers: string[]): DnsClient {
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
  if (servers.length > 0) resolver.setServers(servers);
  return {
    resolver,
    describeServers: () => {
      const list = resolver.getServers().join(", ");
      return servers.length > 0 ? list : `the system's resolver (${list || "none configured"})`;
    },
  };
}

async function lookupRecords<T>(query: () => Promise<T[]>): Promise<RecordLookup<T>> {
  try {
    const records = await query();
    return records.length > 0 ? { ok: true, records } : { ok: false, failure: { code: "nodata", errno: "ENODATA" } };
  } catch (error) {
    return { ok: false, failure: classifyDnsError(error) };
  }
}

/** A and AAAA for a name, and the CNAME chain in front of them (the resolver follows it itself). */
export async function lookupAddresses(client: DnsClient, name: string): Promise<AddressLookup> {
  const [chain, a, aaaa] = await Promise.all([
    followCnames(client, name),
    lookupRecords(() => client.resolver.resolve4(name)),
    lookupRecords(() => client.resolver.resolve6(name)),
  ]);
  return { name, cnameChain: chain.targets, ...(chain.problem ? { cnameProblem: chain.problem } : {}), a, aaaa };
}

async function followCnames(client: DnsClient, name: string): Promise<{ targets: string[]; problem?: "loop" | "too-long" }> {
  const targets: string[] = [];
  const seen = new Set([name.toLowerCase()]);
  let current = name;
  for (;;) {
    let target: string | undefined;
    try {
      [target] = await client.resolver.resolveCname(current);
    } catch {
      // ENODATA ends the chain; any other failure shows up in the A/AAAA answers.
      return { targets };
    }
    if (!target) return { targets };
    target = target.replace(/\.$/, "");
    if (seen.has(target.toLowerCase())) return { targets: [...targets, target], problem: "loop" };
    if (targets.length >= MAX_CNAME_HOPS) return { targets, problem: "too-long" };
    seen.add(target.toLowerCase());
    targets.push(target);
    current = target;
  }
}

/** The CAA record set at exactly `name` (no climbing; see the CAA check). */
export async function lookupCaa(client: DnsClient, name: string): Promise<RecordLookup<CaaRecord>> {
  return lookupRecords(async () => (await client.resolver.resolveCaa(name)).map((record) => toCaaRecord({ ...record })));
}

/** Node returns { critical, <tag>: value }; unknown tags keep their own name. */
function toCaaRecord(record: Record<string, unknown>): CaaRecord {
  const flags = Number(record.critical ?? 0);
  const tag = Object.keys(record).find((key) => key !== "critical") ?? "";
  return { flags, tag, value: String(record[tag] ?? "") };
}
