import { isIP } from "node:net";
import ipaddr, { type IPv4, type IPv6 } from "ipaddr.js";
import { canonicalIPv6 } from "./ip-address";

/**
 * What an IP address is, from the IANA special-purpose address registries (RFC 6890 and its
 * updates) plus the cloud metadata endpoints: the one classification behind the outbound-URL
 * policy (which servers CertDeck connects to) and the name policy (which addresses may be
 * certificate names). Pure logic: parsing and matching by ipaddr.js.
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

interface SpecialRange {
  network: [IPv4 | IPv6, number];
  category: AddressCategory;
  /** "127.0.0.0/8", as the registry writes it. */
  text: string;
  description: string;
}

/**
 * The registries' special ranges, IPv4 and IPv6 side by side, grouped by what they are. An
 * address falls in the range with the longest prefix that contains it (a /32 metadata address
 * inside a /16 link-local range is metadata), so the order here is for reading only.
 */
const SPECIAL_RANGES: SpecialRange[] = (
  [
    ["0.0.0.0/32", "unspecified", 'the unspecified address, which means "any address"'],
    ["0.0.0.0/8", "unspecified", 'a "this network" address'],
    ["::/128", "unspecified", 'the unspecified address, which means "any address"'],
    ["255.255.255.255/32", "broadcast", "the broadcast address"],
    ["169.254.169.254/32", "metadata", "a cloud metadata address"],
    ["169.254.170.2/32", "metadata", "a cloud metadata address (AWS ECS task credentials)"],
    ["169.254.170.23/32", "metadata", "a cloud metadata address (AWS EKS pod identity)"],
    ["100.100.100.200/32", "metadata", "a cloud metadata address (Alibaba Cloud)"],
    ["192.0.0.192/32", "metadata", "a cloud metadata address (Oracle Cloud)"],
    ["168.63.129.16/32", "metadata", "a cloud platform address (Azure WireServer)"],
    ["fd00:ec2::254/128", "metadata", "a cloud metadata address (AWS)"],
    ["fd00:ec2::23/128", "metadata", "a cloud metadata address (AWS EKS pod identity)"],
    ["127.0.0.0/8", "loopback", "a loopback address"],
    ["::1/128", "loopback", "the loopback address"],
    ["10.0.0.0/8", "private", "a private network address"],
    ["172.16.0.0/12", "private", "a private network address"],
    ["192.168.0.0/16", "private", "a private network address"],
    ["64:ff9b:1::/48", "private", "a local-use NAT64 address"],
    ["fec0::/10", "private", "a site-local address (a private network)"],
    ["100.64.0.0/10", "shared", "a carrier-grade NAT address"],
    ["169.254.0.0/16", "link-local", "a link-local address"],
    ["fe80::/10", "link-local", "a link-local address"],
    ["192.0.0.0/24", "reserved", "an address reserved for IETF protocol assignments"],
    ["192.88.99.0/24", "reserved", "a retired 6to4 relay address"],
    ["240.0.0.0/4", "reserved", "a reserved address"],
    ["::/96", "reserved", "an obsolete IPv4-compatible address"],
    ["100::/64", "reserved", "a discard-only address"],
    ["2001::/32", "reserved", "a Teredo tunnel address"],
    ["2001:10::/28", "reserved", "a reserved (ORCHID) address"],
    ["192.0.2.0/24", "documentation", "an address reserved for documentation"],
    ["198.51.100.0/24", "documentation", "an address reserved for documentation"],
    ["203.0.113.0/24", "documentation", "an address reserved for documentation"],
    ["2001:db8::/32", "documentation", "an address reserved for documentation"],
    ["3fff::/20", "documentation", "an address reserved for documentation"],
    ["198.18.0.0/15", "benchmarking", "an address reserved for benchmarking"],
    ["2001:2::/48", "benchmarking", "an address reserved for benchmarking"],
    ["224.0.0.0/4", "multicast", "a multicast address"],
    ["ff00::/8", "multicast", "a multicast address"],
    ["fc00::/7", "unique-local", "a unique-local address (a private network)"],
  ] satisfies Array<[string, AddressCategory, string]>
)
  .map(([text, category, description]): SpecialRange => {
    const network = ipaddr.parseCIDR(text);
    const isSingle = network[1] === (network[0].kind() === "ipv4" ? 32 : 128);
    return { network, category, text, description: isSingle ? description : `${description} (${text})` };
  })
  .sort((a, b) => b.network[1] - a.network[1]);

/** The IPv6 prefixes whose addresses lead to an IPv4 address, and where in the address it stands (from byte). */
const EMBEDDING_PREFIXES = [
  { kind: "ipv4-mapped", network: ipaddr.parseCIDR("::ffff:0:0/96"), from: 12, via: "an IPv4-mapped address" },
  { kind: "nat64", network: ipaddr.parseCIDR("64:ff9b::/96"), from: 12, via: "a NAT64 address" },
  { kind: "6to4", network: ipaddr.parseCIDR("2002::/16"), from: 2, via: "a 6to4 address" },
] as const;

function classifyParsed(address: IPv4 | IPv6, text: string): AddressClass {
  const family = address.kind() === "ipv4" ? 4 : 6;
  const hit = SPECIAL_RANGES.find(({ network }) => network[0].kind() === address.kind() && address.match(network));
  return hit
    ? { address: text, family, category: hit.category, range: hit.text, description: hit.description }
    : { address: text, family, category: "public", range: "", description: "a public address" };
}

/**
 * The class of an IPv4 or IPv6 address (IPv6 without brackets; a zone "%eth0" is ignored), or
 * undefined when `address` is not an IP address. Addresses must already be in the standard
 * notation: URL hosts such as "0x7f.1" are normalised by the WHATWG URL parser first.
 */
export function classifyAddress(address: string): AddressClass | undefined {
  const bare = address.split("%")[0];
  const family = isIP(bare);
  if (family === 4) return classifyParsed(ipaddr.IPv4.parse(bare), bare);
  if (family !== 6) return undefined;
  const ipv6 = ipaddr.IPv6.parse(bare);
  const canonical = canonicalIPv6(bare);
  const embedding = EMBEDDING_PREFIXES.find(({ network }) => ipv6.match(network));
  if (!embedding) return classifyParsed(ipv6, canonical);
  const ipv4 = new ipaddr.IPv4(ipv6.toByteArray().slice(embedding.from, embedding.from + 4)).toString();
  const inner = classifyParsed(ipaddr.IPv4.parse(ipv4), ipv4);
  return {
    address: canonical,
    family: 6,
    category: inner.category,
    range: inner.range,
    description: inner.category === "public" ? `${embedding.via} for ${ipv4}` : `${embedding.via} for ${ipv4}, ${inner.description}`,
    embedded: { kind: embedding.kind, ipv4 },
  };
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
