/**
 * IP address spellings: the one place that decides when two ways of writing an address are the
 * same address. Node built-ins only (node:net), so server code only; no client component needs
 * these (forms are validated by their server actions).
 */
import { isIP } from "node:net";

/** An IPv4 or IPv6 address, without port or brackets. */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/**
 * One spelling per IPv6 address, as the URL parser writes it (lower case, the longest run of
 * zero groups as "::"), so "2001:DB8:0::1" and "2001:db8::1" compare equal. An address with a
 * zone ("fe80::1%eth0") and anything that is not IPv6 come back lower-cased only.
 */
export function canonicalIPv6(address: string): string {
  if (isIP(address) !== 6) return address.toLowerCase();
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/**
 * A peer's address as CertDeck records and compares it: trimmed, an IPv4-mapped IPv6 address
 * ("::ffff:10.0.0.1", how a dual-stack socket reports an IPv4 client) as the IPv4 address, IPv6
 * in its canonical spelling. Null when `value` is not an IP address.
 */
export function normalizeIpAddress(value: string | null | undefined): string | null {
  const address = (value ?? "").trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  const family = isIP(address);
  if (family === 0) return null;
  return family === 6 ? canonicalIPv6(address) : address;
}
