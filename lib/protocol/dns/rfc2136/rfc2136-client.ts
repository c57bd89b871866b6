/**
 * Dynamic DNS updates (RFC 2136) signed with TSIG (RFC 8945), as `nsupdate -y` sends them: what
 * BIND, Knot, PowerDNS and many appliances accept. Every answer's RCODE becomes a sentence that
 * says what to change.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { classifyAddress, isAllowedAddress } from "@/lib/protocol/net/special-addresses";
import {
  encodeMessage,
  encodeTxtRdata,
  normalizeName,
  queryMessage,
  Rcode,
  rcodeName,
  RecordClass,
  RecordType,
  updateMessage,
  type DecodedMessage,
  type DnsMessageToSend,
  type DnsRecord,
} from "@/lib/protocol/dns/wire/dns-message";
import { describeServer, DnsTransportError, exchange, type DnsServerAddress } from "@/lib/protocol/dns/wire/dns-transport";
import { signMessage, verifyResponse, type TsigKey } from "@/lib/protocol/dns/wire/tsig";
import { AppError } from "@/lib/core/app-error";

/** TTL of the challenge records: short, they live for a minute or two. */
export const CHALLENGE_TXT_TTL = 60;

export interface Rfc2136Target {
  server: DnsServerAddress;
  /** The server as the operator wrote it ("ns1.example.com" or "192.0.2.53:5353"). */
  label: string;
  key: TsigKey;
}

export interface TxtChange {
  action: "add" | "delete";
  name: string;
  value: string;
}

function dnsProviderError(message: string, isRetryable = false, cause?: unknown): AppError {
  return new AppError("challenge_failed", message, { reason: "dns", isRetryable, cause });
}

/**
 * Where an RFC 2136 server may be: the operator chose it and holds its TSIG key, and a zone's
 * primary nameserver commonly sits on this machine or the LAN, so loopback and private addresses
 * are allowed; metadata, link-local, multicast and the other special-purpose addresses are not
 * (lib/protocol/net/special-addresses.ts).
 */
export const RFC2136_SERVER_NETWORK = { allowLoopback: true, allowPrivate: true } as const;

/** Why CertDeck does not send updates to this address, or undefined. */
export function rfc2136AddressRefusal(address: string, via?: string): string | undefined {
  const found = classifyAddress(address);
  if (!found || isAllowedAddress(found, RFC2136_SERVER_NETWORK)) return undefined;
  return `CertDeck does not send DNS updates to ${via && via !== found.address ? `${via} (it resolves to ${found.address})` : found.address}: it is ${found.description}.`;
}

/** The configured server as an address: host names are looked up with the system's resolver. */
export async function resolveRfc2136Server(host: string, port: number): Promise<DnsServerAddress> {
  let address = host;
  if (!isIP(host)) {
    try {
      ({ address } = await lookup(host));
    } catch (error) {
      throw dnsProviderError(
        `The DNS server name ${host} does not resolve on this host (${(error as NodeJS.ErrnoException).code ?? "lookup failed"}). Enter its IP address or fix the name.`,
        true,
        error,
      );
    }
  }
  const refused = rfc2136AddressRefusal(address, host);
  if (refused) throw dnsProviderError(refused);
  return { host: address, port };
}

function serverLabel(target: Rfc2136Target): string {
  const described = describeServer(target.server);
  return target.label === described || target.label === target.server.host ? described : `${target.label} (${described})`;
}

/** The sentence for an RCODE (and the TSIG error field) the server answered an update or query with. */
export function describeServerAnswer(target: Rfc2136Target, rcode: number, tsigError: number, context: { zone?: string; name?: string }): AppError {
  const server = serverLabel(target);
  const key = `"${target.key.name}"`;
  const zone = context.zone ?? "the zone";
  if (tsigError === Rcode.BADSIG) {
    return dnsProviderError(
      `The DNS server ${server} refused the request because the TSIG signature does not match (it answered BADSIG): the TSIG secret (or algorithm) of key ${key} is wrong. Copy the secret from the server's key file again.`,
    );
  }
  if (tsigError === Rcode.BADKEY) {
    return dnsProviderError(
      `The DNS server ${server} does not know the TSIG key ${key} with algorithm ${target.key.algorithm} (it answered BADKEY): the TSIG key name or algorithm is wrong. Use the name and algorithm of the server's "key" statement.`,
    );
  }
  if (tsigError === Rcode.BADTIME) {
    return dnsProviderError(
      `The DNS server ${server} says this host's clock differs from its own by more than 5 minutes (it answered BADTIME). Fix the time on the CertDeck host or the server (NTP).`,
    );
  }
  switch (rcode) {
    case Rcode.NOTAUTH:
      return dnsProviderError(
        `The DNS server ${server} is not authoritative for ${zone} (it answered NOTAUTH). Point the provider at the primary server of ${zone}, or check the zone in its settings.`,
      );
    case Rcode.REFUSED:
      return dnsProviderError(
        `The DNS server ${server} refuses updates to ${zone} from key ${key} (it answered REFUSED). Allow them in the zone's configuration, e.g. update-policy { grant ${target.key.name} name _acme-challenge.${context.zone ?? "<zone>"}. TXT; }; or allow-update { key ${target.key.name}; };`,
      );
    case Rcode.NOTZONE:
      return dnsProviderError(
        `${context.name ?? "The record"} is not inside the zone ${zone} (the server answered NOTZONE). Correct the zone in the provider's settings, or leave it empty to find it automatically.`,
      );
    case Rcode.NOTIMP:
      return dnsProviderError(
        `The DNS server ${server} does not accept dynamic updates (it answered NOTIMP). Use a server that supports RFC 2136, or another provider type.`,
      );
    case Rcode.SERVFAIL:
      return dnsProviderError(
        `The DNS server ${server} failed to apply the change to ${zone} (it answered SERVFAIL). Its log says why; often it cannot write the zone's journal file.`,
        true,
      );
    case Rcode.FORMERR:
      return dnsProviderError(
        `The DNS server ${server} could not read CertDeck's request (it answered FORMERR). Check that it is a DNS server that supports RFC 2136 updates.`,
      );
    default:
      return dnsProviderError(`The DNS server ${server} answered ${rcodeName(rcode)} for ${context.name ?? zone}.`);
  }
}

function describeTransportError(target: Rfc2136Target, error: DnsTransportError): AppError {
  const server = serverLabel(target);
  switch (error.problem) {
    case "timeout":
      return dnsProviderError(
        `The DNS server ${server} did not answer (${error.message}). Check the server address and port, and that a firewall lets DNS (UDP and TCP) through.`,
        true,
        error,
      );
    case "refused":
      return dnsProviderError(`Nothing answers DNS at ${server} (connection refused). Check the server address and port.`, true, error);
    case "unreachable":
      return dnsProviderError(`The DNS server ${server} cannot be reached from this host (${error.message}).`, true, error);
    default:
      return dnsProviderError(`Talking to the DNS server ${server} failed: ${error.message}.`, true, error);
  }
}

/** Sends a TSIG-signed message and checks the answer's signature; NOERROR or not is the caller's business. */
async function signedExchange(target: Rfc2136Target, message: DnsMessageToSend, signal?: AbortSignal): Promise<{ answer: DecodedMessage; tsigError: number }> {
  const { signed, mac } = signMessage(encodeMessage(message), target.key);
  let bytes: Buffer;
  let answer: DecodedMessage;
  try {
    ({ bytes, message: answer } = await exchange(target.server, signed, { timeoutMs: 3000, tries: 2, signal }));
  } catch (error) {
    if (error instanceof DnsTransportError) throw describeTransportError(target, error);
    throw error;
  }
  const verification = verifyResponse(bytes, target.key, mac, new Date(), answer);
  if (verification.ok) return { answer, tsigError: 0 };
  if (verification.problem === "tsig-error") return { answer, tsigError: verification.tsigError ?? 0 };
  // Servers may leave error answers (REFUSED, NOTAUTH) unsigned; a success must be signed.
  if (answer.rcode !== Rcode.NOERROR) return { answer, tsigError: 0 };
  const why = {
    unsigned: "it is not signed",
    "wrong-key": "it is signed with another key",
    "bad-mac": "its signature does not match the TSIG secret",
    "bad-time": "its signature is too old or too new (check the clocks)",
  }[verification.problem];
  throw dnsProviderError(`CertDeck could not trust the answer of the DNS server ${serverLabel(target)}: ${why}. Check the TSIG key settings.`);
}

/**
 * The zone `name` belongs to, as the server itself sees it (signed SOA questions, climbing one
 * label at a time past zones it does not serve). A wrong TSIG key fails here already.
 */
export async function findZoneAtServer(target: Rfc2136Target, name: string, signal?: AbortSignal): Promise<string> {
  const labels = normalizeName(name).split(".");
  for (let index = 0; index < labels.length - 1; index++) {
    const candidate = labels.slice(index).join(".");
    const { answer, tsigError } = await signedExchange(target, queryMessage(candidate, RecordType.SOA), signal);
    if (tsigError !== 0 || answer.rcode === Rcode.NOTAUTH) throw describeServerAnswer(target, answer.rcode, tsigError, {});
    if (answer.rcode !== Rcode.NOERROR && answer.rcode !== Rcode.NXDOMAIN) continue;
    const soa = [...answer.answers, ...answer.authorities].find((record) => record.type === RecordType.SOA);
    if (soa && answer.isAuthoritative) return normalizeName(soa.name);
  }
  throw dnsProviderError(
    `The DNS server ${serverLabel(target)} serves no zone that contains ${normalizeName(name)} (it gave no authoritative SOA for it or a parent name). Point the provider at the primary server of that zone, or set the zone in its settings.`,
  );
}

/** Adds and deletes TXT records in one UPDATE message (all or nothing on the server's side). */
export async function updateTxtRecords(target: Rfc2136Target, zone: string, changes: TxtChange[], signal?: AbortSignal): Promise<void> {
  const updates: DnsRecord[] = changes.map((change) => ({
    name: change.name,
    type: RecordType.TXT,
    // RFC 2136 §2.5: class NONE deletes exactly this record; IN adds it to the RRset.
    class: change.action === "add" ? RecordClass.IN : RecordClass.NONE,
    ttl: change.action === "add" ? CHALLENGE_TXT_TTL : 0,
    rdata: encodeTxtRdata(change.value),
  }));
  const { answer, tsigError } = await signedExchange(target, updateMessage(zone, { updates }), signal);
  if (answer.rcode !== Rcode.NOERROR || tsigError !== 0) {
    throw describeServerAnswer(target, answer.rcode, tsigError, { zone, name: changes[0]?.name });
  }
}

/**
 * A signed UPDATE that changes nothing (its only prerequisite: the zone's apex exists): proves
 * the server accepts the key for this zone, without touching a record.
 */
export async function checkUpdateAccess(target: Rfc2136Target, zone: string, signal?: AbortSignal): Promise<void> {
  // RFC 2136 §2.4.4, "name is in use": class ANY, type ANY, no data.
  const apexExists: DnsRecord = { name: zone, type: RecordType.ANY, class: RecordClass.ANY, ttl: 0, rdata: Buffer.alloc(0) };
  const { answer, tsigError } = await signedExchange(target, updateMessage(zone, { prerequisites: [apexExists] }), signal);
  if (answer.rcode !== Rcode.NOERROR || tsigError !== 0) throw describeServerAnswer(target, answer.rcode, tsigError, { zone });
}

/**
 * A signed question the server must check the key for (SOA of the root, which an authoritative
 * server may refuse): BADKEY or BADSIG means the key is wrong; any other answer means it is right.
 */
export async function checkTsigKey(target: Rfc2136Target, signal?: AbortSignal): Promise<void> {
  const { answer, tsigError } = await signedExchange(target, queryMessage("", RecordType.SOA), signal);
  if (tsigError !== 0 || answer.rcode === Rcode.NOTAUTH) throw describeServerAnswer(target, answer.rcode, tsigError, {});
}
