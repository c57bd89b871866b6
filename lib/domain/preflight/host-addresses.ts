/**
 * This host's public addresses, as the CA should find them in DNS: the settings publicIPv4 /
 * publicIPv6 when the operator filled either in (behind NAT or a load balancer only they know),
 * else what the network interfaces carry.
 */
import { isIP } from "node:net";
import os from "node:os";
import { getSetting } from "@/lib/data/settings";
import { canonicalIPv6 } from "@/lib/protocol/net/ip-address";

export interface HostAddresses {
  ipv4: string[];
  ipv6: string[];
  /** "settings": the operator said so; "interfaces": detected, so NAT may hide the real address. */
  source: "settings" | "interfaces";
}

/**
 * When either setting is filled in, both are taken as said: an empty publicIPv6 next to a filled
 * publicIPv4 means "this host has no public IPv6" (the usual reason to fill them in is that the
 * interfaces do not tell the truth). Both empty: detect both.
 */
export async function getHostAddresses(): Promise<HostAddresses> {
  const [ipv4Setting, ipv6Setting] = await Promise.all([getSetting("publicIPv4"), getSetting("publicIPv6")]);
  const ipv4 = splitAddresses(ipv4Setting, 4);
  const ipv6 = splitAddresses(ipv6Setting, 6);
  if (ipv4Setting.trim() !== "" || ipv6Setting.trim() !== "") return { ipv4, ipv6, source: "settings" };
  return { ...detectInterfaceAddresses(), source: "interfaces" };
}

export function splitAddresses(text: string, family: 4 | 6): string[] {
  return text
    .split(/[\s,]+/)
    .filter((entry) => isIP(entry) === family)
    .map((entry) => (family === 6 ? canonicalIPv6(entry) : entry));
}

/** Non-internal IPv4 addresses, and IPv6 global unicast (2000::/3) only: no link-local, no ULA. */
export function detectInterfaceAddresses(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): { ipv4: string[]; ipv6: string[] } {
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (entry.family === "IPv4") ipv4.add(entry.address);
      else if (entry.family === "IPv6" && isGlobalUnicastIPv6(entry.address)) ipv6.add(canonicalIPv6(entry.address));
    }
  }
  return { ipv4: [...ipv4], ipv6: [...ipv6] };
}

function isGlobalUnicastIPv6(address: string): boolean {
  const first = parseInt(canonicalIPv6(address).split(":")[0] || "0", 16);
  return (first & 0xe000) === 0x2000;
}

/** RFC 1918, carrier-grade NAT (100.64/10) and link-local: a public CA can never connect to these. */
export function isPrivateIPv4(address: string): boolean {
  const [a, b] = address.split(".").map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

export function isHostAddress(host: HostAddresses, address: string): boolean {
  return isIP(address) === 6 ? host.ipv6.includes(canonicalIPv6(address)) : host.ipv4.includes(address);
}
