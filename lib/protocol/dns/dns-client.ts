/**
 * The one DNS client. Questions go to the resolvers the operator chose (setting `dnsResolvers`,
 * "" = the system's) or straight to one nameserver, and the answers come from CertDeck's own
 * wire code (wire/), so the RCODE, the AA flag and the authority section (the SOA of a negative
 * answer) are visible. The pre-flight check asks it for A, AAAA and CAA with the CNAME chain in
 * front (each failure classified for its sentence); DNS-01 for the CNAME at `_acme-challenge`,
 * the zone and its nameservers. One CNAME-following implementation serves both.
 */
import { getServers } from "node:dns";
import { isIP } from "node:net";
import { AppError } from "@/lib/core/app-error";
import {
  DnsFormatError,
  encodeMessage,
  normalizeName,
  queryMessage,
  Rcode,
  rcodeName,
  RecordType,
  type CaaData,
  type DecodedMessage,
  type DecodedRecord,
} from "@/lib/protocol/dns/wire/dns-message";
import { describeServer, DnsTransportError, exchange, parseServerAddress, type DnsServerAddress } from "@/lib/protocol/dns/wire/dns-transport";

/** First try to a resolver; the second waits twice as long, so a dead resolver costs 3 + 6 = 9 s per question. */
export const DNS_TIMEOUT_MS = 3000;
const DNS_TRIES = 2;
export const DNS_GIVE_UP_SECONDS = (DNS_TIMEOUT_MS * (2 ** DNS_TRIES - 1)) / 1000;
export const MAX_CNAME_HOPS = 8;

// ---- the resolver setting ------------------------------------------------------------------

export type ResolverListResult = { ok: true; servers: string[] } | { ok: false; errors: string[] };

/**
 * Parses "1.1.1.1, 8.8.8.8:53, [2001:db8::53]:53" into one text per resolver ("[::1]" loses its
 * brackets, ports keep their place). Resolvers are IP addresses: a resolver's own name could
 * only be looked up through another resolver.
 */
export function parseResolverList(text: string): ResolverListResult {
  const servers: string[] = [];
  const errors: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const server = parseServerAddress(entry);
    if (!server) {
      errors.push(`"${entry}": enter the resolver's IP address, optionally with a port (1.1.1.1, 127.0.0.1:8053, [2001:db8::53]:53)`);
      continue;
    }
    const hasPort = /\]:\d+$|^[^:]+:\d+$/.test(entry);
    servers.push(!hasPort ? server.host : isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, servers };
}

// ---- failures ------------------------------------------------------------------------------

export type DnsFailureCode = "nxdomain" | "nodata" | "servfail" | "timeout" | "refused" | "error";

export interface DnsFailure {
  code: DnsFailureCode;
  /**
   * For the detail: the RCODE the resolver answered (NXDOMAIN, SERVFAIL, REFUSED …; NOERROR
   * without records is NODATA), or how asking it failed (ETIMEDOUT, ECONNREFUSED, EBADRESP …).
   */
  errno: string;
}

/** How a question failed: from the answer (its RCODE; NOERROR here means no records of the type) or from the error of a resolver that did not answer. */
export function classifyDnsFailure(outcome: { rcode: number } | DnsTransportError): DnsFailure {
  if (outcome instanceof DnsTransportError) {
    switch (outcome.problem) {
      case "timeout":
        return { code: "timeout", errno: "ETIMEDOUT" };
      case "refused":
        return { code: "refused", errno: "ECONNREFUSED" };
      case "malformed":
        return { code: "error", errno: "EBADRESP" };
      default:
        return { code: "error", errno: String((outcome.cause as NodeJS.ErrnoException | undefined)?.code ?? "EUNKNOWN") };
    }
  }
  switch (outcome.rcode) {
    case Rcode.NOERROR:
      return { code: "nodata", errno: "NODATA" };
    case Rcode.NXDOMAIN:
      return { code: "nxdomain", errno: "NXDOMAIN" };
    case Rcode.SERVFAIL:
      return { code: "servfail", errno: "SERVFAIL" };
    case Rcode.REFUSED:
      return { code: "refused", errno: "REFUSED" };
    default:
      return { code: "error", errno: rcodeName(outcome.rcode) };
  }
}

// ---- the client ----------------------------------------------------------------------------

/** A resolver's answer (NOERROR or NXDOMAIN), or why none came: the failure and, per resolver, what went wrong. */
export type DnsAnswer = { ok: true; message: DecodedMessage } | { ok: false; failure: DnsFailure; problems: string[] };

export interface DnsClient {
  servers: DnsServerAddress[];
  /** "127.0.0.1:8053" or "the system's resolver (192.0.2.1)", for sentences. */
  describe(): string;
  /** Asks the resolvers in turn; the first NOERROR or NXDOMAIN answer wins. Throws only when `signal` aborts. */
  ask(name: string, type: number, signal?: AbortSignal): Promise<DnsAnswer>;
  /** ask() for callers that cannot go on without an answer: throws AppError("challenge_failed") instead. */
  query(name: string, type: number, signal?: AbortSignal): Promise<DecodedMessage>;
}

/** Raw question to one server: no retries across servers, no interpretation of the answer. */
export async function queryServer(
  server: DnsServerAddress,
  name: string,
  type: number,
  options: { recursionDesired?: boolean; timeoutMs?: number; tries?: number; backoff?: boolean; signal?: AbortSignal } = {},
): Promise<DecodedMessage> {
  const message = encodeMessage(queryMessage(name, type, { recursionDesired: options.recursionDesired }));
  const answer = await exchange(server, message, {
    timeoutMs: options.timeoutMs ?? 2000,
    tries: options.tries,
    backoff: options.backoff,
    signal: options.signal,
  });
  return answer.message;
}

/** The AppError for a question no resolver answered, for callers that cannot go on without it. */
export function unansweredError(name: string, answer: Extract<DnsAnswer, { ok: false }>): AppError {
  if (answer.problems.length === 0) {
    return new AppError("challenge_failed", "No DNS resolver is configured on this host. Set the DNS resolvers under Settings → Network.", { reason: "dns" });
  }
  return new AppError(
    "challenge_failed",
    `No DNS resolver could look up ${name}: ${answer.problems.join("; ")}. Check the DNS resolvers under Settings → Network.`,
    {
      reason: "dns",
      isRetryable: true,
    },
  );
}

/**
 * The client for the `dnsResolvers` setting text ("" = the system's resolvers, as are entries it
 * cannot use: the pre-flight check says so).
 */
export function createDnsClient(setting: string): DnsClient {
  const parsed = parseResolverList(setting);
  const configured = parsed.ok ? parsed.servers.map((text) => parseServerAddress(text)).filter((server) => server !== null) : [];
  const servers =
    configured.length > 0
      ? configured
      : getServers()
          .map((text) => parseServerAddress(text))
          .filter((server) => server !== null);
  const list = servers.map(describeServer).join(", ");
  const ask = async (name: string, type: number, signal?: AbortSignal): Promise<DnsAnswer> => {
    const problems: string[] = [];
    // A resolver that answered (SERVFAIL, REFUSED …) says more about the name than one that did not answer at all.
    let answered: DnsFailure | undefined;
    let unanswered: DnsFailure | undefined;
    for (const server of servers) {
      try {
        const message = await queryServer(server, name, type, { recursionDesired: true, timeoutMs: DNS_TIMEOUT_MS, tries: DNS_TRIES, backoff: true, signal });
        if (message.rcode === Rcode.NOERROR || message.rcode === Rcode.NXDOMAIN) return { ok: true, message };
        answered ??= classifyDnsFailure(message);
        problems.push(`${describeServer(server)} answered ${rcodeName(message.rcode)}`);
      } catch (error) {
        // A name that cannot be written into a question (a label over 63 bytes …) fails at every resolver alike.
        if (error instanceof DnsFormatError) return { ok: false, failure: { code: "error", errno: "EBADNAME" }, problems: [error.message] };
        if (!(error instanceof DnsTransportError)) throw error;
        if (error.problem === "aborted") throw error;
        unanswered ??= classifyDnsFailure(error);
        problems.push(error.message);
      }
    }
    return { ok: false, failure: answered ?? unanswered ?? { code: "error", errno: "ENORESOLVER" }, problems };
  };
  return {
    servers,
    describe: () => (configured.length > 0 ? list : `the system's resolver (${list || "none configured"})`),
    ask,
    async query(name, type, signal) {
      const answer = await ask(name, type, signal);
      if (!answer.ok) throw unansweredError(name, answer);
      return answer.message;
    },
  };
}

/**
 * The records of `type` for `name` in an answer section, after the CNAMEs the answer itself leads
 * through (a recursive resolver puts the chain in front of the records it found at its end).
 */
export function recordsAt(message: DecodedMessage, name: string, type: number): DecodedRecord[] {
  const seen = new Set<string>();
  for (let owner = normalizeName(name); !seen.has(owner);) {
    seen.add(owner);
    const records = message.answers.filter((record) => record.type === type && normalizeName(record.name) === owner && record.data !== null);
    if (records.length > 0 || type === RecordType.CNAME) return records;
    const alias = message.answers.find((record) => record.type === RecordType.CNAME && normalizeName(record.name) === owner && typeof record.data === "string");
    if (!alias) return [];
    owner = normalizeName(alias.data as string);
  }
  return [];
}

function names(records: DecodedRecord[]): string[] {
  return records.map((record) => normalizeName(record.data as string));
}

// ---- CNAME chains --------------------------------------------------------------------------

export interface CnameChain {
  /** The name asked about, lower case, without the trailing dot. */
  name: string;
  /** The CNAME targets in order: name → targets[0] → targets[1] …; empty without a CNAME. */
  targets: string[];
  /** Where the chain ends: the last target, or the name itself. */
  finalName: string;
  /** The chain loops, or runs longer than MAX_CNAME_HOPS; `target` is the CNAME that broke it (not in `targets`). */
  problem?: { kind: "loop" | "too-long"; target: string };
  /** The CNAME question about `finalName` went unanswered (SERVFAIL, timeout …): the chain stops there. */
  unanswered?: Extract<DnsAnswer, { ok: false }>;
}

/** Follows CNAMEs from `name`, one question per hop (a resolver's CNAME answer is a single hop). */
export async function followCnames(client: DnsClient, name: string, signal?: AbortSignal): Promise<CnameChain> {
  const start = normalizeName(name);
  const targets: string[] = [];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const answer = await client.ask(current, RecordType.CNAME, signal);
    if (!answer.ok) return { name: start, targets, finalName: current, unanswered: answer };
    const [target] = names(recordsAt(answer.message, current, RecordType.CNAME));
    if (!target) return { name: start, targets, finalName: current };
    if (seen.has(target) || targets.length >= MAX_CNAME_HOPS) {
      return { name: start, targets, finalName: current, problem: { kind: seen.has(target) ? "loop" : "too-long", target } };
    }
    seen.add(target);
    targets.push(target);
    current = target;
  }
}

// ---- records for the pre-flight check -------------------------------------------------------

export type RecordLookup<T> = { ok: true; records: T[] } | { ok: false; failure: DnsFailure };

/** A CAA record as RFC 8659 writes it: flags (128 = issuer critical), tag, value. */
export type CaaRecord = CaaData;

export interface AddressLookup {
  name: string;
  /** CNAME targets in order: name → cnameChain[0] → cnameChain[1] … (empty: no CNAME); a loop ends with the name it returns to. */
  cnameChain: string[];
  cnameProblem?: "loop" | "too-long";
  a: RecordLookup<string>;
  aaaa: RecordLookup<string>;
}

async function lookupRecords<T>(client: DnsClient, name: string, type: number): Promise<RecordLookup<T>> {
  const answer = await client.ask(name, type);
  if (!answer.ok) return { ok: false, failure: answer.failure };
  if (answer.message.rcode !== Rcode.NOERROR) return { ok: false, failure: classifyDnsFailure(answer.message) };
  const records = recordsAt(answer.message, name, type).map((record) => record.data as T);
  return records.length > 0 ? { ok: true, records } : { ok: false, failure: classifyDnsFailure(answer.message) };
}

/** A and AAAA for a name, and the CNAME chain in front of them (the resolver follows it for A and AAAA itself). */
export async function lookupAddresses(client: DnsClient, name: string): Promise<AddressLookup> {
  const [chain, a, aaaa] = await Promise.all([
    followCnames(client, name),
    lookupRecords<string>(client, name, RecordType.A),
    lookupRecords<string>(client, name, RecordType.AAAA),
  ]);
  // A failed CNAME question ends the chain; the same failure shows in the A/AAAA answers.
  const cnameChain = chain.problem?.kind === "loop" ? [...chain.targets, chain.problem.target] : chain.targets;
  return { name, cnameChain, ...(chain.problem ? { cnameProblem: chain.problem.kind } : {}), a, aaaa };
}

/** The CAA record set at exactly `name`, after its CNAMEs (no climbing to parents: see the CAA check). */
export async function lookupCaa(client: DnsClient, name: string): Promise<RecordLookup<CaaRecord>> {
  return lookupRecords<CaaRecord>(client, name, RecordType.CAA);
}

// ---- zones and nameservers for DNS-01 --------------------------------------------------------

/**
 * The zone `name` belongs to: the owner of the SOA record in the answer (the name is an apex) or
 * in the authority section of a negative answer, climbing one label at a time when neither.
 */
export async function findZone(client: DnsClient, name: string, signal?: AbortSignal): Promise<string> {
  const normalized = normalizeName(name);
  const labels = normalized.split(".");
  for (let index = 0; index < labels.length; index++) {
    const candidate = labels.slice(index).join(".");
    const answer = await client.query(candidate, RecordType.SOA, signal);
    const soa = [...answer.answers, ...answer.authorities].find((record) => record.type === RecordType.SOA);
    if (!soa) continue;
    const zone = normalizeName(soa.name);
    if (zone !== "" && (normalized === zone || normalized.endsWith(`.${zone}`))) return zone;
  }
  throw new AppError(
    "challenge_failed",
    `CertDeck could not find the DNS zone of ${normalized}: ${client.describe()} returned no SOA record for it or any parent name.`,
    {
      reason: "dns",
    },
  );
}

export interface AuthoritativeServer {
  /** The nameserver's name (from the zone's NS records), e.g. ns1.example.com. */
  nameserver: string;
  address: DnsServerAddress;
}

/**
 * The zone's nameservers (NS) and their addresses, every IPv4 address of each; IPv6 only for a
 * nameserver without IPv4. `port` is the setting `authoritativeDnsPort` (53 on the internet).
 */
export async function findAuthoritativeServers(client: DnsClient, zone: string, port: number, signal?: AbortSignal): Promise<AuthoritativeServer[]> {
  const nameservers = [...new Set(names(recordsAt(await client.query(zone, RecordType.NS, signal), zone, RecordType.NS)))];
  if (nameservers.length === 0) {
    throw new AppError(
      "challenge_failed",
      `The zone ${zone} has no NS records at ${client.describe()}, so CertDeck cannot ask its nameservers whether the TXT record is there.`,
      {
        reason: "dns",
      },
    );
  }
  const servers: AuthoritativeServer[] = [];
  const missing: string[] = [];
  for (const nameserver of nameservers) {
    const addresses = isIP(nameserver) ? [nameserver] : await addressesOf(client, nameserver, signal);
    if (addresses.length === 0) missing.push(nameserver);
    for (const address of addresses) servers.push({ nameserver, address: { host: address, port } });
  }
  if (servers.length === 0) {
    throw new AppError("challenge_failed", `The nameservers of ${zone} (${missing.join(", ")}) have no addresses at ${client.describe()}.`, { reason: "dns" });
  }
  return servers;
}

/** A (else AAAA) addresses of a host, after its CNAMEs. */
async function addressesOf(client: DnsClient, host: string, signal?: AbortSignal): Promise<string[]> {
  const addresses = async (type: number) => recordsAt(await client.query(host, type, signal), host, type).map((record) => record.data as string);
  const ipv4 = await addresses(RecordType.A);
  return ipv4.length > 0 ? ipv4 : addresses(RecordType.AAAA);
}
