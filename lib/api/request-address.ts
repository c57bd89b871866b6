import { isIP } from "node:net";

/**
 * Client addresses of a route handler's Request (lib/audit/record-audit-event.ts's requestIp()
 * reads the same headers, but through next/headers, which needs Next's request scope).
 */

/**
 * For the audit log: the first X-Forwarded-For hop (the original client, as a reverse proxy
 * reports it), else X-Real-IP, else "unknown". The same rule as the dashboard's actions.
 */
export function auditAddressOf(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "unknown";
}

/**
 * For access decisions (the metrics allow-list): the LAST X-Forwarded-For hop, the address of
 * whoever connected to the nearest proxy. Earlier hops are whatever the client chose to send.
 * With nginx in front (proxy_set_header X-Forwarded-For $remote_addr or
 * $proxy_add_x_forwarded_for) this is the real peer; without a proxy, Next.js fills the header
 * with the socket's address, but only when the client did not send one, so an allow-list is
 * only trustworthy behind a proxy that sets the header. IPv4-mapped IPv6 (::ffff:10.0.0.1)
 * becomes plain IPv4. Null when there is no usable address.
 */
export function peerAddressOf(request: Request): string | null {
  const hops = request.headers.get("x-forwarded-for")?.split(",") ?? [];
  const last = hops.at(-1)?.trim() ?? "";
  const address = last.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(address) ? address : null;
}
