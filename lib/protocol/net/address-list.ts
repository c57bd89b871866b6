import { BlockList, isIP } from "node:net";

/**
 * Lists of addresses and CIDR ranges ("127.0.0.1, 10.0.0.0/8, ::1, fd00::/8"): the metrics
 * allow-list and the trusted reverse proxies. Pure logic: Node built-ins only.
 */
export type AddressListParse = { ok: true; entries: string[] } | { ok: false; errors: string[] };

export function parseAddressList(text: string): AddressListParse {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  const errors: string[] = [];
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0) {
      errors.push(`"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8`);
    } else if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > maxPrefix)) {
      errors.push(`"${entry}": the prefix length after "/" goes from 0 to ${maxPrefix}`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}

/** Whether `address` (IPv4 or IPv6) falls in one of the entries. Invalid entries are ignored. */
export function isAddressInList(entries: string[], address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  for (const entry of entries) {
    const [network, prefix] = entry.split("/");
    const entryFamily = isIP(network);
    if (entryFamily === 0) continue;
    const type = entryFamily === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(network, type);
    else list.addSubnet(network, Number(prefix), type);
  }
  return list.check(address, family === 6 ? "ipv6" : "ipv4");
}
