import { db } from "@/lib/data/client";
import { ENDPOINT_STATUSES, NO_ANSWER_STATUSES, parseEndpointStatus, sameFingerprint, type EndpointStatus } from "@/lib/domain/endpoints/endpoint-status";
import { formatEndpointAddress } from "@/lib/protocol/tls/endpoint-address";
import type { MetricFamily, MetricSample } from "@/lib/protocol/prometheus/exposition";

/**
 * The endpoint watch on /metrics, in one query: each endpoint's served expiry, whether it
 * answered its last probe, whether a managed certificate's current version is what it serves,
 * and the endpoints per status. Labels: endpoint ("host:port") and server_name (the SNI name,
 * "" when none is sent); served_as_issued adds the certificate's name.
 */
export async function collectEndpointMetrics(): Promise<MetricFamily[]> {
  const endpoints = await db.endpoint.findMany({
    select: {
      host: true,
      port: true,
      serverName: true,
      status: true,
      notAfter: true,
      fingerprintSha256: true,
      certificate: { select: { name: true, currentVersion: { select: { fingerprintSha256: true } } } },
    },
    orderBy: [{ host: "asc" }, { port: "asc" }, { serverName: "asc" }],
  });
  const expiry: MetricSample[] = [];
  const up: MetricSample[] = [];
  const servedAsIssued: MetricSample[] = [];
  const byStatus = new Map<EndpointStatus, number>(ENDPOINT_STATUSES.map((status) => [status, 0]));
  const seen = new Set<string>();
  for (const endpoint of endpoints) {
    const status = parseEndpointStatus(endpoint.status);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const labels = { endpoint: formatEndpointAddress(endpoint), server_name: endpoint.serverName ?? "" };
    // One series per endpoint and name: SQLite lets rows without a name repeat, a scrape must not.
    const key = `${labels.endpoint}|${labels.server_name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (endpoint.notAfter) expiry.push({ labels, value: endpoint.notAfter.getTime() / 1000 });
    if (status !== "pending") up.push({ labels, value: NO_ANSWER_STATUSES.has(status) ? 0 : 1 });
    const current = endpoint.certificate?.currentVersion;
    if (endpoint.certificate && current && endpoint.fingerprintSha256) {
      servedAsIssued.push({
        labels: { ...labels, certificate: endpoint.certificate.name },
        value: sameFingerprint(current.fingerprintSha256, endpoint.fingerprintSha256) ? 1 : 0,
      });
    }
  }
  return [
    {
      name: "certdeck_endpoint_expiry_timestamp_seconds",
      help: "When the certificate a watched endpoint served at its last completed handshake expires, in seconds since the Unix epoch.",
      type: "gauge",
      samples: expiry,
    },
    {
      name: "certdeck_endpoint_up",
      help: "1 when the watched endpoint completed a TLS handshake at its last probe, 0 when it did not answer (refused, timeout, DNS, not TLS, handshake failed).",
      type: "gauge",
      samples: up,
    },
    {
      name: "certdeck_endpoint_served_as_issued",
      help: "For endpoints that should serve a managed certificate: 1 when the last served certificate is its current version, 0 when it is another one.",
      type: "gauge",
      samples: servedAsIssued,
    },
    {
      name: "certdeck_endpoints",
      help: "Watched endpoints by status: ok, expiring, stale (served is not the current version), the probe's problems (expired, wrong-name, untrusted …), no answer (refused, timeout …), pending (not checked yet).",
      type: "gauge",
      samples: [...byStatus].map(([status, count]) => ({ labels: { status }, value: count })),
    },
  ];
}
