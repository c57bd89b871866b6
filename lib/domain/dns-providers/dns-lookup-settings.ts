import { getSetting } from "@/lib/data/settings";
import type { DnsLookupSettings } from "@/lib/protocol/dns/propagation";

/** The resolvers and the authoritative port from Settings → Network, for the DNS-01 checks. */
export async function dnsLookupSettings(): Promise<DnsLookupSettings> {
  const [resolvers, authoritativePort] = await Promise.all([getSetting("dnsResolvers"), getSetting("authoritativeDnsPort")]);
  return { resolvers, authoritativePort };
}
