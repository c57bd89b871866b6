import { isIP } from "node:net";

/**
 * "host:port" as operators write it: "127.0.0.1:443", "[2001:db8::1]:443", "shop.example:8443",
 * or just a host (the default port). Pure: no DNS.
 */
export interface EndpointAddress {
  /** An IPv4 or IPv6 address (without brackets) or a DNS name. */
  host: string;
  port: number;
}

export function parseEndpointAddress(text: string, defaultPort = 443): EndpointAddress {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const [host, portText] = bracketed
    ? [bracketed[1], bracketed[2]]
    : isIP(value) === 6
      ? [value, undefined] // a bare IPv6 address: its colons are not a port separator
      : (() => {
          const colon = value.lastIndexOf(":");
          return colon === -1 ? [value, undefined] : [value.slice(0, colon), value.slice(colon + 1)];
        })();
  if (!host || (bracketed && isIP(host) !== 6)) throw new Error(`"${text}" is not an address such as 127.0.0.1:443, [::1]:443 or shop.example:443`);
  if (portText === undefined) return { host, port: defaultPort };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw new Error(`"${text}": the port must be a number from 1 to 65535`);
  return { host, port };
}

/** The address as people write it: IPv6 in brackets. */
export function formatEndpointAddress({ host, port }: EndpointAddress): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Whether `host` is a DNS name (it may then be sent as SNI; RFC 6066 forbids addresses there). */
export function isDnsName(host: string): boolean {
  return isIP(host) === 0;
}
