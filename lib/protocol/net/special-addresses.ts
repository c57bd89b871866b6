import { isIP } from "node:net";

/**
 * What an IP address is, from the IANA special-purpose address registries (RFC 6890 and its
 * updates) plus the cloud metadata endpoints: the one classification behind the outbound-URL
 * policy (which servers CertDeck connects to) and the name policy (which addresses may be
 * certificate names). Pure logic: Node built-ins only.
 *
 * Three groups:
 * - never: unspecified, "this network", broadcast, multicast, link-local, cloud metadata and
 *   reserved ranges. Nothing legitimate lives there for CertDeck: no CA, no webhook, no
 *   certificate.
 * - lab (loopback): 127.0.0.0/8, ::1, allowed only with an explicit opt-in (Pebble on this machine).
 * - lab (private): RFC 1918, carrier-grade NAT, unique-local IPv6, documentation and
 *   benchmarking ranges, allowed only with an explicit opt-in (step-ca on the LAN, test setups).
 *   A public CA never issues for them; a private CA may.
 *
 * IPv6 addresses that carry an IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) are classified by the IPv4 address they lead to.
 */
export type AddressCategory =
  | "public"
  | "unspecified"
  | "broadcast"
  | "multicast"
  | "link-local"
  | "metadata"
  | "reserved"
  | "loopback"
  | "private"
  | "shared"
  | "unique-local"
  | "documentation"
  | "benchmarking";

/** The categories a lab opt-in can allow, and which opt-in. Every other non-public category is always refused. */
export const LAB_CATEGORIES: Readonly<Partial<Record<AddressCategory, "loopback" | "private">>> = {
  loopback: "loopback",
  private: "private",
  shared: "private",
  "unique-local": "private",
  documentation: "private",
  benchmarking: "private",
};

export interface LabOptIn {
  /** 127.0.0.0/8 and ::1: a lab CA such as Pebble on this machine. */
  allowLoopback?: boolean;
  /** Private, carrier-grade NAT, unique-local, documentation and benchmarking ranges: a CA or server on the LAN. */
  allowPrivate?: boolean;
}

export interface AddressClass {
  /** The address as classified (IPv6 canonical, lower case). */
  address: string;
  family: 4 | 6;
  category: AddressCategory;
  /** The registry range it falls in ("127.0.0.0/8"), or "" for public addresses. */
  range: string;
  /** "a loopback address (127.0.0.0/8)": reads after "it is". */
  description: string;
  /** For IPv6 that carries an IPv4 address: how, and that address. The category is the IPv4 one's. */
  embedded?: { kind: "ipv4-mapped" | "nat64" | "6to4"; ipv4: string };
}

interface Range {
  network: bigint;
  bits: number;
  category: AddressCategory;
  text: string;
  description: string;
}

function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((value, part) => value * 256 + Number(part), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (Math.floor(value / 2 ** shift) % 256).toString()).join(".");
}

/** A valid IPv6 address (no zone) as a 128-bit number. */
function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = ipv4ToNumber(dotted[1]);
    text = `${text.slice(0, dotted.index)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return groups.reduce((value, group) => (value << BigInt(16)) | BigInt(parseInt(group || "0", 16)), BigInt(0));
}

function bigIntToIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let index = 7; index >= 0; index--) groups.push(((value >> BigInt(index * 16)) & BigInt(0xffff)).toString(16));
  // Longest run of two or more zero groups becomes "::" (RFC 5952).
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    if (groups[start] !== "0") {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === "0") end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

function range(cidr: string, category: AddressCategory, description: string): Range {
  const [network, bits] = cidr.split("/");
  const value = isIP(network) === 4 ? BigInt(ipv4ToNumber(network)) : ipv6ToBigInt(network);
  const single = Number(bits) === (isIP(network) === 4 ? 32 : 128);
  return { network: value, bits: Number(bits), category, text: cidr, description: single ? description : `${description} (${cidr})` };
}

/** Most specific first: the first match wins. */
const IPV4_RANGES: Range[] = [
  range("0.0.0.0/32", "unspecified", 'the unspecified address, which means "any address"'),
  range("0.0.0.0/8", "unspecified", 'a "this network" address'),
  range("255.255.255.255/32", "broadcast", "the broadcast address"),
  range("169.254.169.254/32", "metadata", "a cloud metadata address"),
  range("169.254.170.2/32", "metadata", "a cloud metadata address (AWS ECS task credentials)"),
  range("169.254.170.23/32", "metadata", "a cloud metadata address (AWS EKS pod identity)"),
  range("100.100.100.200/32", "metadata", "a cloud metadata address (Alibaba Cloud)"),
  range("192.0.0.192/32", "metadata", "a cloud metadata address (Oracle Cloud)"),
  range("168.63.129.16/32", "metadata", "a cloud platform address (Azure WireServer)"),
  range("127.0.0.0/8", "loopback", "a loopback address"),
  range("10.0.0.0/8", "private", "a private network address"),
  range("172.16.0.0/12", "private", "a private network address"),
  range("192.168.0.0/16", "private", "a private network address"),
  range("100.64.0.0/10", "shared", "a carrier-grade NAT address"),
  range("169.254.0.0/16", "link-local", "a link-local address"),
  range("192.0.0.0/24", "reserved", "an address reserved for IETF protocol assignments"),
  range("192.0.2.0/24", "documentation", "an address reserved for documentation"),
  range("198.51.100.0/24", "documentation", "an address reserved for documentation"),
  range("203.0.113.0/24", "documentation", "an address reserved for documentation"),
  range("198.18.0.0/15", "benchmarking", "an address reserved for benchmarking"),
  range("192.88.99.0/24", "reserved", "a retired 6to4 relay address"),
  range("224.0.0.0/4", "multicast", "a multicast address"),
  range("240.0.0.0/4", "reserved", "a reserved address"),
];

const IPV6_RANGES: Range[] = [
  range("::/128", "unspecified", 'the unspecified address, which means "any address"'),
  range("::1/128", "loopback", "the loopback address"),
  range("fd00:ec2::254/128", "metadata", "a cloud metadata address (AWS)"),
  range("fd00:ec2::23/128", "metadata", "a cloud metadata address (AWS EKS pod identity)"),
  range("::/96", "reserved", "an obsolete IPv4-compatible address"),
  range("100::/64", "reserved", "a discard-only address"),
  range("64:ff9b:1::/48", "private", "a local-use NAT64 address"),
  range("2001::/32", "reserved", "a Teredo tunnel address"),
  range("2001:2::/48", "benchmarking", "an address reserved for benchmarking"),
  range("2001:10::/28", "reserved", "a reserved (ORCHID) address"),
  range("2001:db8::/32", "documentation", "an address reserved for documentation"),
  range("3fff::/20", "documentation", "an address reserved for documentation"),
  range("fc00::/7", "unique-local", "a unique-local address (a private network)"),
  range("fe80::/10", "link-local", "a link-local address"),
  range("fec0::/10", "private", "a site-local address (a private network)"),
  range("ff00::/8", "multicast", "a multicast address"),
];

function find(ranges: Range[], value: bigint, width: number): Range | undefined {
  return ranges.find((entry) => value >> BigInt(width - entry.bits) === entry.network >> BigInt(width - entry.bits));
}

function classifyIpv4(address: string): AddressClass {
  const hit = find(IPV4_RANGES, BigInt(ipv4ToNumber(address)), 32);
  return hit
    ? { address, family: 4, category: hit.category, range: hit.text, description: hit.description }
    : { address, family: 4, category: "public", range: "", description: "a public address" };
}

/**
 * The class of an IPv4 or IPv6 address (IPv6 without brackets; a zone "%eth0" is ignored), or
 * undefined when `address` is not an IP address. Addresses must already be in the standard
 * notation: URL hosts such as "0x7f.1" are normalised by the WHATWG URL parser first.
 */
export function classifyAddress(address: string): AddressClass | undefined {
  const bare = address.split("%")[0];
  const family = isIP(bare);
  if (family === 4) return classifyIpv4(bare);
  if (family !== 6) return undefined;
  const value = ipv6ToBigInt(bare);
  const canonical = bigIntToIpv6(value);
  const low32 = Number(value & BigInt(0xffffffff));
  const embedded = (kind: "ipv4-mapped" | "nat64" | "6to4", ipv4: string): AddressClass => {
    const inner = classifyIpv4(ipv4);
    const via = kind === "ipv4-mapped" ? "an IPv4-mapped address" : kind === "nat64" ? "a NAT64 address" : "a 6to4 address";
    return {
      address: canonical,
      family: 6,
      category: inner.category,
      range: inner.range,
      description: inner.category === "public" ? `${via} for ${ipv4}` : `${via} for ${ipv4}, ${inner.description}`,
      embedded: { kind, ipv4 },
    };
  };
  if (value >> BigInt(32) === BigInt(0xffff)) return embedded("ipv4-mapped", numberToIpv4(low32));
  if (value >> BigInt(32) === BigInt("0x0064ff9b0000000000000000")) return embedded("nat64", numberToIpv4(low32));
  if (value >> BigInt(112) === BigInt(0x2002)) return embedded("6to4", numberToIpv4(Number((value >> BigInt(80)) & BigInt(0xffffffff))));
  const hit = find(IPV6_RANGES, value, 128);
  return hit
    ? { address: canonical, family: 6, category: hit.category, range: hit.text, description: hit.description }
    : { address: canonical, family: 6, category: "public", range: "", description: "a public address" };
}

/** Whether the class is allowed: public, or a lab category with its opt-in given. */
export function isAllowedAddress(address: AddressClass, optIn: LabOptIn = {}): boolean {
  if (address.category === "public") return true;
  const lab = LAB_CATEGORIES[address.category];
  if (lab === "loopback") return optIn.allowLoopback === true;
  if (lab === "private") return optIn.allowPrivate === true;
  return false;
}

/** Which opt-in would allow the class: undefined when none can (metadata, multicast …) or none is needed. */
export function labOptInFor(address: AddressClass): "loopback" | "private" | undefined {
  return LAB_CATEGORIES[address.category];
}
