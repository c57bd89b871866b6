/**
 * Questions to the resolvers the operator chose (setting `dnsResolvers`; "" = the system's) and
 * to single servers: CNAME chains, the zone a name lives in (SOA), its nameservers and their
 * addresses. Answers come from CertDeck's own wire code, so authority sections (the SOA of a
 * negative answer) and the AA flag are visible.
 */
import { getServers } from "node:dns";
import { randomInt } from "node:crypto";
import { isIP } from "node:net";
import { encodeMessage, normalizeName, Opcode, Rcode, rcodeName, RecordClass, RecordType, type DecodedMessage } from "@/lib/protocol/dns/wire/dns-message";
import { describeServer, DnsTransportError, exchange, parseServerAddress, type DnsServerAddress } from "@/lib/protocol/dns/wire/dns-transport";
import { AppError } from "@/lib/core/app-error";
import { parseResolverList } from "@/lib/protocol/dns/dns-lookup";

export const MAX_CNAME_HOPS = 8;

/** Raw question to one server. */
export async function queryServer(
  server: DnsServerAddress,
  name: string,
  type: number,
  options: { recursionDesired?: boolean; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<DecodedMessage> {
  const message = encodeMessage({
    id: randomInt(0x10000),
    opcode: Opcode.QUERY,
    recursionDesired: options.recursionDesired ?? false,
    questions: [{ name, type, class: RecordClass.IN }],
  });
  const answer = await exchange(server, message, { timeoutMs: options.timeoutMs ?? 2000, signal: options.signal });
  return answer.message;
}

export interface ResolverClient {
  servers: DnsServerAddress[];
  /** "127.0.0.1:8053" or "the system's resolver (192.0.2.1)", for sentences. */
  describe(): string;
  /** Asks the resolvers in turn; the first NOERROR or NXDOMAIN answer wins. */
  query(name: string, type: number, signal?: AbortSignal): Promise<DecodedMessage>;
}

/** The resolver list of the `dnsResolvers` setting text ("" = the system's). */
export function createResolverClient(setting: string): ResolverClient {
  const parsed = parseResolverList(setting);
  const configured = parsed.ok ? parsed.servers.map((text) => parseServerAddress(text)).filter((server) => server !== null) : [];
  const servers = configured.length > 0 ? configured : getServers().map((text) => parseServerAddress(text)).filter((server) => server !== null);
  const list = servers.map(describeServer).join(", ");
  return {
    servers,
    describe: () => (configured.length > 0 ? list : `the system's resolver (${list || "none configured"})`),
    async query(name, type, signal) {
      if (servers.length === 0) throw new AppError("challenge_failed", "No DNS resolver is configured on this host. Set the DNS resolvers under Settings → Network.", { reason: "dns" });
      const problems: string[] = [];
      for (const server of servers) {
        try {
          const answer = await queryServer(server, name, type, { recursionDesired: true, signal });
          if (answer.rcode === Rcode.NOERROR || answer.rcode === Rcode.NXDOMAIN) return answer;
          problems.push(`${describeServer(server)} answered ${rcodeName(answer.rcode)}`);
        } catch (error) {
          if (error instanceof DnsTransportError && error.problem === "aborted") throw error;
          problems.push(error instanceof DnsTransportError ? error.message : `${describeServer(server)}: ${(error as Error).message}`);
        }
      }
      throw new AppError("challenge_failed", `No DNS resolver could look up ${name}: ${problems.join("; ")}. Check the DNS resolvers under Settings → Network.`, {
        reason: "dns",
        isRetryable: true,
      });
    },
  };
}

/** Records of `type` owned by `name` in an answer section. */
function recordsAt(message: DecodedMessage, name: string, type: number): string[] {
  const owner = normalizeName(name);
  return message.answers.filter((record) => record.type === type && normalizeName(record.name) === owner && typeof record.data === "string").map((record) => record.data as string);
}

/**
 * Follows CNAMEs from `name` (e.g. `_acme-challenge.www.example.com` → `www.acme-zone.example.net`).
 * Returns the chain of targets (empty: no CNAME) and the final name, lower case, no trailing dot.
 */
export async function followCnames(resolver: ResolverClient, name: string, signal?: AbortSignal): Promise<{ finalName: string; chain: string[] }> {
  const chain: string[] = [];
  let current = normalizeName(name);
  const seen = new Set([current]);
  for (;;) {
    const answer = await resolver.query(current, RecordType.CNAME, signal);
    const [target] = recordsAt(answer, current, RecordType.CNAME).map(normalizeName);
    if (!target) return { finalName: current, chain };
    if (seen.has(target) || chain.length >= MAX_CNAME_HOPS) {
      throw new AppError(
        "challenge_failed",
        `The CNAME records at ${name} ${seen.has(target) ? "form a loop" : `go through more than ${MAX_CNAME_HOPS} names`} (${[name, ...chain, target].join(" → ")}). Point ${name} at one name that holds the TXT record.`,
        { reason: "dns" },
      );
    }
    seen.add(target);
    chain.push(target);
    current = target;
  }
}

/**
 * The zone `name` belongs to: the owner of the SOA record in the answer (the name is an apex) or
 * in the authority section of a negative answer, climbing one label at a time when neither.
 */
export async function findZone(resolver: ResolverClient, name: string, signal?: AbortSignal): Promise<string> {
  const normalized = normalizeName(name);
  const labels = normalized.split(".");
  for (let index = 0; index < labels.length; index++) {
    const candidate = labels.slice(index).join(".");
    const answer = await resolver.query(candidate, RecordType.SOA, signal);
    const soa = [...answer.answers, ...answer.authorities].find((record) => record.type === RecordType.SOA);
    if (!soa) continue;
    const zone = normalizeName(soa.name);
    if (zone !== "" && (normalized === zone || normalized.endsWith(`.${zone}`))) return zone;
  }
  throw new AppError("challenge_failed", `CertDeck could not find the DNS zone of ${normalized}: ${resolver.describe()} returned no SOA record for it or any parent name.`, {
    reason: "dns",
  });
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
export async function findAuthoritativeServers(resolver: ResolverClient, zone: string, port: number, signal?: AbortSignal): Promise<AuthoritativeServer[]> {
  const nsAnswer = await resolver.query(zone, RecordType.NS, signal);
  const nameservers = [...new Set(recordsAt(nsAnswer, zone, RecordType.NS).map(normalizeName))];
  if (nameservers.length === 0) {
    throw new AppError("challenge_failed", `The zone ${zone} has no NS records at ${resolver.describe()}, so CertDeck cannot ask its nameservers whether the TXT record is there.`, {
      reason: "dns",
    });
  }
  const servers: AuthoritativeServer[] = [];
  const missing: string[] = [];
  for (const nameserver of nameservers) {
    const addresses = isIP(nameserver) ? [nameserver] : await addressesOf(resolver, nameserver, signal);
    if (addresses.length === 0) missing.push(nameserver);
    for (const address of addresses) servers.push({ nameserver, address: { host: address, port } });
  }
  if (servers.length === 0) {
    throw new AppError("challenge_failed", `The nameservers of ${zone} (${missing.join(", ")}) have no addresses at ${resolver.describe()}.`, { reason: "dns" });
  }
  return servers;
}

/** A (else AAAA) addresses of a host; any in the answer count, as a resolver may follow a CNAME first. */
async function addressesOf(resolver: ResolverClient, host: string, signal?: AbortSignal): Promise<string[]> {
  const addresses = (answer: DecodedMessage, type: number) =>
    answer.answers.filter((record) => record.type === type && typeof record.data === "string").map((record) => record.data as string);
  const ipv4 = addresses(await resolver.query(host, RecordType.A, signal), RecordType.A);
  if (ipv4.length > 0) return ipv4;
  return addresses(await resolver.query(host, RecordType.AAAA, signal), RecordType.AAAA);
}
