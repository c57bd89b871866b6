import { trustedProxies } from "@/lib/core/env";
import { isAddressInList, parseAddressList } from "@/lib/protocol/net/address-list";
import { normalizeIpAddress } from "@/lib/protocol/net/ip-address";

/**
 * Set by CertDeck's server (scripts/server.mjs) on every request to the socket's remote address,
 * replacing whatever a client sent under that name.
 */
export const PEER_ADDRESS_HEADER = "x-certdeck-peer";

/**
 * The client's address, the one fact that sign-in throttling, the audit log and the metrics
 * allow-list all use. It is the address that connected, unless that is a trusted reverse proxy
 * (CERTDECK_TRUSTED_PROXIES): then X-Forwarded-For is read from the right, skipping trusted
 * proxies, and the first hop that is not one is the client. Hops a client wrote itself (the left
 * ones) are never believed. Null when no address is known (a request that did not come through
 * the server).
 */
export function clientAddressOf(headers: Headers, proxies: string = trustedProxies()): string | null {
  const peer = normalizeIpAddress(headers.get(PEER_ADDRESS_HEADER));
  if (!peer) return null;
  const trusted = parseAddressList(proxies);
  const isTrusted = (address: string) => trusted.ok && isAddressInList(trusted.entries, address);
  if (!isTrusted(peer)) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => normalizeIpAddress(hop));
  for (const hop of forwarded.reverse()) {
    // A hop that is not an address: the chain is broken here, so the last proxy is the client.
    if (!hop) return peer;
    if (!isTrusted(hop)) return hop;
  }
  return normalizeIpAddress(headers.get("x-real-ip")) ?? peer;
}
