/**
 * DNS and host-address checks: does the name resolve, and do its A/AAAA records point at this
 * host? Pure: the lookup happens in run-preflight.ts, so every sentence here is unit-tested.
 */
import { isIP } from "node:net";
import type { AddressLookup, DnsFailure } from "@/lib/protocol/dns/dns-client";
import { DNS_GIVE_UP_SECONDS, MAX_CNAME_HOPS } from "@/lib/protocol/dns/dns-client";
import { isHostAddress, isPrivateIPv4, type HostAddresses } from "@/lib/domain/preflight/host-addresses";
import { canonicalIPv6 } from "@/lib/protocol/net/ip-address";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";
import type { Identifier } from "@/lib/protocol/names/names";

const SETTINGS_NETWORK = "Settings → Network";

/** "a", "a and b", "a, b and c" */
export function listAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function listOr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** The name as the sentences show it: with its CNAME chain when there is one. */
function shownName(lookup: AddressLookup): string {
  return lookup.cnameChain.length > 0 ? `${lookup.name} (CNAME → ${lookup.cnameChain.join(" → ")})` : lookup.name;
}

function createRecordsFix(name: string, host: HostAddresses): string {
  const a = host.ipv4.length > 0 ? `an A record for ${name} pointing at ${host.ipv4[0]}` : `an A record for ${name} pointing at this host's public IPv4`;
  const aaaa = host.ipv6.length > 0 ? ` and an AAAA record pointing at ${host.ipv6[0]}` : "";
  return `Create ${a}${aaaa} at your DNS provider. New records can take a few minutes to appear.`;
}

/** One DNS failure as a check; `servers` names the resolvers asked (for timeouts and refusals). */
export function describeDnsFailure(name: string, failure: DnsFailure, host: HostAddresses, servers: string): PreflightCheck {
  const detail = { name, error: failure.errno };
  switch (failure.code) {
    case "nxdomain":
      return {
        kind: "dns",
        identifier: name,
        status: "fail",
        message: `${name} does not exist in DNS (NXDOMAIN), so the CA cannot find it.`,
        fix: createRecordsFix(name, host),
        detail,
      };
    case "nodata":
      return {
        kind: "dns",
        identifier: name,
        status: "fail",
        message: `${name} exists in DNS but has no A or AAAA record, so the CA has no address to connect to.`,
        fix: createRecordsFix(name, host),
        detail,
      };
    case "servfail":
      return {
        kind: "dns",
        identifier: name,
        status: "fail",
        message: `The DNS servers for ${name} answer SERVFAIL (they failed to answer), and the CA will not validate a name it cannot look up.`,
        fix: `This is usually a DNSSEC mistake (an old DS record at the registrar) or nameservers that do not know the zone. Check with "dig ${name}" and "dig +dnssec ${name}", or at https://dnsviz.net/.`,
        detail,
      };
    case "timeout":
      return {
        kind: "dns",
        identifier: name,
        status: "warn",
        message: `No answer for ${name} from ${servers} (two tries, ${DNS_GIVE_UP_SECONDS} seconds in all), so CertDeck could not check it.`,
        fix: `If other names resolve, the nameservers of ${name} are not answering and the CA will fail the same way. Otherwise check the DNS resolvers under ${SETTINGS_NETWORK}.`,
        detail,
      };
    case "refused":
      return {
        kind: "dns",
        identifier: name,
        status: "warn",
        message: `The DNS resolver ${servers} refused the query for ${name}, so CertDeck could not check it.`,
        fix: `Check the DNS resolvers under ${SETTINGS_NETWORK} (leave the field empty to use the system's).`,
        detail,
      };
    default:
      return {
        kind: "dns",
        identifier: name,
        status: "warn",
        message: `The DNS lookup for ${name} failed (${failure.errno}), so CertDeck could not check it.`,
        fix: `Try again; if it persists, check the DNS resolvers under ${SETTINGS_NETWORK}.`,
        detail,
      };
  }
}

const FAILURE_PRIORITY: DnsFailure["code"][] = ["servfail", "nxdomain", "nodata", "timeout", "refused", "error"];

/**
 * The checks for one DNS name: a DNS problem, or one host-address verdict per address family
 * that has records. Every record that is not this host's is named.
 */
export function checkDnsName(lookup: AddressLookup, host: HostAddresses, servers: string): PreflightCheck[] {
  const name = lookup.name;
  if (lookup.cnameProblem) {
    const chain = [name, ...lookup.cnameChain].join(" → ");
    return [
      {
        kind: "dns",
        identifier: name,
        status: "fail",
        message:
          lookup.cnameProblem === "loop"
            ? `The CNAME records of ${name} form a loop (${chain}), so it never reaches an address.`
            : `${name} is behind more than ${MAX_CNAME_HOPS} CNAME records in a row (${chain} → …); resolvers and the CA give up on such chains.`,
        fix: `Fix the CNAME records so the chain ends at a name with A or AAAA records.`,
        detail: { cnameChain: lookup.cnameChain },
      },
    ];
  }

  const { a, aaaa } = lookup;
  if (!a.ok && !aaaa.ok) {
    const failures = [a.failure, aaaa.failure];
    const worst = FAILURE_PRIORITY.map((code) => failures.find((failure) => failure.code === code)).find(Boolean)!;
    return [describeDnsFailure(name, worst, host, servers)];
  }

  const checks: PreflightCheck[] = [];
  // One family answers, the other fails badly: the CA may or may not cope.
  for (const [family, other, result] of [
    ["A", "AAAA", a],
    ["AAAA", "A", aaaa],
  ] as const) {
    if (result.ok || result.failure.code === "nodata" || result.failure.code === "nxdomain") continue;
    checks.push({
      kind: "dns",
      identifier: name,
      status: "warn",
      message: `The ${family} lookup for ${name} failed (${result.failure.errno}) while the ${other} lookup worked; the CA may stumble over the same failure.`,
      fix:
        result.failure.code === "servfail"
          ? describeDnsFailure(name, result.failure, host, servers).fix
          : `Try again; if it persists, check the nameservers of ${name}.`,
      detail: { name, recordType: family, error: result.failure.errno },
    });
  }
  if (a.ok) checks.push(checkFamily(lookup, "A", a.records, host));
  if (aaaa.ok) checks.push(checkFamily(lookup, "AAAA", aaaa.records.map(canonicalIPv6), host));
  return checks;
}

function checkFamily(lookup: AddressLookup, recordType: "A" | "AAAA", records: string[], host: HostAddresses): PreflightCheck {
  const name = lookup.name;
  const shown = shownName(lookup);
  const hostList = recordType === "A" ? host.ipv4 : host.ipv6;
  const own = records.filter((address) => isHostAddress(host, address));
  const foreign = records.filter((address) => !isHostAddress(host, address));
  const detail = { name, recordType, records, cnameChain: lookup.cnameChain, hostAddresses: hostList, hostAddressSource: host.source };
  const base = { kind: "host-address" as const, identifier: name, detail };

  if (foreign.length === 0) {
    return { ...base, status: "pass", message: `${shown} has ${recordType} ${listAnd(records)}: this host.` };
  }
  if (own.length > 0) {
    return {
      ...base,
      status: "warn",
      message: `${shown} has ${recordType} ${listAnd(foreign)} besides ${listAnd(own)} (this host): the CA may connect to any of them, so validation can fail at random.`,
      fix: `Remove the ${recordType} record${foreign.length > 1 ? "s" : ""} ${listAnd(foreign)}, unless ${foreign.length > 1 ? "those machines" : "that machine"} also answer${foreign.length > 1 ? "" : "s"} the challenge.`,
    };
  }

  if (recordType === "AAAA") {
    const ipv6First = "Let's Encrypt tries IPv6 first, so validation will fail.";
    return hostList.length === 0
      ? {
          ...base,
          status: "fail",
          message: `${shown} has AAAA ${listAnd(foreign)}, but this host has no public IPv6; ${ipv6First}`,
          fix: `Remove the AAAA record or serve the challenge there.`,
        }
      : {
          ...base,
          status: "fail",
          message: `${shown} has AAAA ${listAnd(foreign)}, but this host is ${listOr(hostList)}; ${ipv6First}`,
          fix: `Change the AAAA record of ${name} to ${hostList[0]}, or remove it.`,
        };
  }

  if (hostList.length === 0) {
    return {
      ...base,
      status: "fail",
      message: `${shown} has A ${listAnd(foreign)}, but this host has no public IPv4.`,
      fix: `Request the certificate on the machine at ${listAnd(foreign)}, or enter this host's public IPv4 under ${SETTINGS_NETWORK} if the interfaces do not show it.`,
    };
  }
  // Detected private addresses only: this host may well sit behind NAT at exactly that address.
  const isBehindNat = host.source === "interfaces" && hostList.every(isPrivateIPv4);
  const message = `${shown} has A ${listAnd(foreign)}, but this host is ${listOr(hostList)}`;
  return isBehindNat
    ? {
        ...base,
        status: "warn",
        message: `${message} (a private address: if this host sits behind NAT, ${listAnd(foreign)} may be its router).`,
        fix: `If the router forwards port 80 to this host, enter its public IPv4 under ${SETTINGS_NETWORK} so the check knows. Otherwise change the A record of ${name}.`,
      }
    : {
        ...base,
        status: "fail",
        message: `${message}.`,
        fix: `Change the A record of ${name} to ${hostList[0]} at your DNS provider. If a NAT router or load balancer forwards port 80 here, enter its public address under ${SETTINGS_NETWORK} instead.`,
      };
}

/** An IP identifier is its own address: the CA connects to exactly it. */
export function checkIpIdentifier(identifier: Identifier, host: HostAddresses): PreflightCheck {
  const address = identifier.value;
  const isV6 = isIP(address) === 6;
  const hostList = isV6 ? host.ipv6 : host.ipv4;
  const detail = { address, hostAddresses: hostList, hostAddressSource: host.source };
  if (isHostAddress(host, address)) {
    return { kind: "host-address", identifier: address, status: "pass", message: `${address} is one of this host's addresses.`, detail };
  }
  const isBehindNat = !isV6 && host.source === "interfaces" && hostList.length > 0 && hostList.every(isPrivateIPv4);
  const hostPart = hostList.length > 0 ? `this host is ${listOr(hostList)}` : `this host has no public IPv${isV6 ? 6 : 4}`;
  return {
    kind: "host-address",
    identifier: address,
    status: isBehindNat ? "warn" : "fail",
    message: `The CA connects to ${address} itself, but ${hostPart}.`,
    fix: `Request this certificate on the machine that has ${address}, or enter this host's public IPv${isV6 ? 6 : 4} under ${SETTINGS_NETWORK} if it is ${address}.`,
    detail,
  };
}
