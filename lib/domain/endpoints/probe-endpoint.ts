import { displayTimeZone } from "@/lib/core/env";
import { db } from "@/lib/data/client";
import { ENDPOINT_POLICY, endpointLookup } from "@/lib/domain/endpoints/endpoint-input";
import {
  classifyEndpointProbe,
  DOWN_AFTER_FAILURES,
  expiringFrom,
  nextCheckDelayMs,
  nextConsecutiveFailures,
  type EndpointClassification,
  type ManagedCertificateFacts,
} from "@/lib/domain/endpoints/endpoint-status";
import { sendEndpointNotifications } from "@/lib/domain/notifications/endpoint-notifications";
import type { EndpointRef } from "@/lib/domain/notifications/endpoint-events";
import { outboundAddressRefusal } from "@/lib/protocol/net/outbound-url";
import { formatEndpointAddress, isDnsName } from "@/lib/protocol/tls/endpoint-address";
import { probeTlsEndpoint, type TlsProbeResult } from "@/lib/protocol/tls/probe-tls-endpoint";
import { certificateNames } from "@/lib/protocol/tls/served-certificate";
import { splitPemChain } from "@/lib/protocol/x509/x509";

/**
 * Probes one watched endpoint, stores what it found and sends the notifications it calls for.
 * A probe is bounded (5 s to connect, 5 s for the handshake), never throws for anything the
 * endpoint does, and is stored whatever it found.
 */
export interface ProbeEndpointOptions {
  now?: Date;
  /** Each of connect and handshake; default 5 000 ms. */
  timeoutMs?: number;
}

export interface StoredEndpointProbe {
  id: string;
  classification: EndpointClassification;
  probe: TlsProbeResult | null;
  consecutiveFailures: number;
  nextCheckAt: Date;
  /** Notification event types that went out to at least one channel. */
  notified: string[];
}

const ENDPOINT_SELECT = {
  id: true,
  host: true,
  port: true,
  serverName: true,
  caBundlePem: true,
  label: true,
  checkedAt: true,
  consecutiveFailures: true,
  certificate: {
    select: {
      id: true,
      name: true,
      currentVersion: { select: { id: true, version: true, fingerprintSha256: true, createdAt: true, deployStatus: true, chainPem: true } },
      versions: { select: { id: true, version: true, fingerprintSha256: true } },
    },
  },
} as const;

/** Probes the endpoint now; null when it does not exist (any more). */
export async function probeEndpoint(id: string, options: ProbeEndpointOptions = {}): Promise<StoredEndpointProbe | null> {
  const now = options.now ?? new Date();
  const endpoint = await db.endpoint.findUnique({ where: { id }, select: ENDPOINT_SELECT });
  if (!endpoint) return null;
  const timeZone = displayTimeZone();
  const certificate = endpoint.certificate;
  const managed: ManagedCertificateFacts | null = certificate
    ? { name: certificate.name, current: certificate.currentVersion, versions: certificate.versions }
    : null;

  const probe = await runProbe(endpoint, certificate?.currentVersion?.chainPem ?? null, now, timeZone, options.timeoutMs);
  const classification = probe ? classifyEndpointProbe({ probe, managed, now, timeZone }) : refusedAddress(endpoint.host, endpoint.port);
  const consecutiveFailures = nextConsecutiveFailures(endpoint.consecutiveFailures, classification.answered);
  const nextCheckAt = new Date(now.getTime() + nextCheckDelayMs(classification.status, consecutiveFailures));
  const leaf = probe?.served?.leaf ?? null;
  const { count } = await db.endpoint.updateMany({
    where: { id },
    data: {
      status: classification.status,
      message: classification.message,
      checkedAt: now,
      nextCheckAt,
      consecutiveFailures,
      // What was served stays from the last handshake when this one completed none.
      ...(leaf && probe?.served
        ? {
            fingerprintSha256: leaf.fingerprintSha256,
            notBefore: leaf.notBefore,
            notAfter: leaf.notAfter,
            issuer: leaf.issuer,
            servedNames: JSON.stringify(certificateNames(leaf)),
            chainPem: probe.served.chain.map((certificate) => certificate.pem.trim()).join("\n") + "\n",
          }
        : {}),
    },
  });
  if (count === 0) return null; // removed while it was being probed

  const ref: EndpointRef = {
    id,
    address: formatEndpointAddress(endpoint),
    serverName: endpoint.serverName,
    label: endpoint.label,
    certificateId: certificate?.id ?? null,
    certificateName: certificate?.name ?? null,
  };
  const recovered = classification.answered && endpoint.consecutiveFailures >= DOWN_AFTER_FAILURES;
  const notified = await sendEndpointNotifications({
    endpoint: ref,
    previous: { consecutiveFailures: endpoint.consecutiveFailures, checkedAt: endpoint.checkedAt },
    consecutiveFailures,
    answered: classification.answered,
    message: classification.message,
    served: leaf
      ? { fingerprintSha256: leaf.fingerprintSha256, names: certificateNames(leaf), issuer: leaf.issuer, notBefore: leaf.notBefore, notAfter: leaf.notAfter }
      : null,
    isExpiring: leaf ? now >= expiringFrom(leaf.notBefore, leaf.notAfter) && now < leaf.notAfter : false,
    servedAsIssued: classification.servedAsIssued,
    isStaleExpected: classification.isStaleExpected,
    currentVersion: certificate?.currentVersion ? { id: certificate.currentVersion.id, version: certificate.currentVersion.version } : null,
    staleDescription: classification.staleDescription,
    downSince: recovered ? await outageStart(id) : null,
    downAfterFailures: DOWN_AFTER_FAILURES,
    now,
  });
  return { id, classification, probe, consecutiveFailures, nextCheckAt, notified };
}

async function runProbe(
  endpoint: { host: string; port: number; serverName: string | null; caBundlePem: string | null },
  currentChainPem: string | null,
  now: Date,
  timeZone: string,
  timeoutMs: number | undefined,
): Promise<TlsProbeResult | null> {
  // An address never reaches the lookup (net connects to it directly): checked here. Names are
  // checked by the lookup, on every address they resolve to, at connect time.
  if (!isDnsName(endpoint.host) && outboundAddressRefusal(endpoint.host, ENDPOINT_POLICY)) return null;
  return probeTlsEndpoint({
    host: endpoint.host,
    port: endpoint.port,
    servername: endpoint.serverName ?? undefined,
    caBundlePem: endpoint.caBundlePem,
    // The managed certificate's intermediates: recognises a server that leaves them out.
    knownIntermediatesPem: currentChainPem ? splitPemChain(currentChainPem).slice(1).join("\n") || null : null,
    connectTimeoutMs: timeoutMs,
    handshakeTimeoutMs: timeoutMs,
    lookup: endpointLookup,
    now,
    timeZone,
  });
}

function refusedAddress(host: string, port: number): EndpointClassification {
  const refusal = outboundAddressRefusal(host, ENDPOINT_POLICY);
  return {
    status: "unreachable",
    message: refusal?.userMessage ?? `CertDeck does not connect to ${formatEndpointAddress({ host, port })}.`,
    answered: false,
    servedAsIssued: null,
    servedVersion: null,
    staleDescription: null,
    isStaleExpected: false,
  };
}

/** When the outage that just ended began: the "stopped answering" event's key names it. */
async function outageStart(id: string): Promise<Date | null> {
  const delivery = await db.notificationDelivery.findFirst({
    where: { eventKey: { startsWith: `endpoint-down:${id}:` } },
    orderBy: { createdAt: "desc" },
    select: { eventKey: true },
  });
  const since = delivery ? new Date(delivery.eventKey.slice(`endpoint-down:${id}:`.length)) : null;
  return since && !Number.isNaN(since.getTime()) ? since : null;
}

/** A claimed endpoint is not due again for this long, so a crashed probe is retried later. */
const CLAIM_LEASE_MS = 5 * 60 * 1000;

export interface DueEndpointsOptions {
  now?: Date;
  /** At most this many endpoints per call; default 16. */
  limit?: number;
  /** Probes at once; default 4. */
  concurrency?: number;
  timeoutMs?: number;
}

/**
 * Probes the endpoints whose nextCheckAt has come (oldest first, at most `limit`, `concurrency`
 * at once). Each is claimed by moving its nextCheckAt forward with a conditional update first, so
 * two sweeps (two ticks, two processes) never probe the same endpoint twice. Returns the ids
 * probed. One indexed query when nothing is due.
 */
export async function probeDueEndpoints(options: DueEndpointsOptions = {}): Promise<string[]> {
  const now = options.now ?? new Date();
  const due = await db.endpoint.findMany({
    where: { nextCheckAt: { lte: now } },
    orderBy: { nextCheckAt: "asc" },
    take: options.limit ?? 16,
    select: { id: true, nextCheckAt: true },
  });
  const claimed: string[] = [];
  for (const endpoint of due) {
    const { count } = await db.endpoint.updateMany({
      where: { id: endpoint.id, nextCheckAt: endpoint.nextCheckAt },
      data: { nextCheckAt: new Date(now.getTime() + CLAIM_LEASE_MS) },
    });
    if (count === 1) claimed.push(endpoint.id);
  }
  const probed: string[] = [];
  const queue = [...claimed];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        if (await probeEndpoint(id, { now, timeoutMs: options.timeoutMs })) probed.push(id);
      } catch (error) {
        // A database error for one endpoint must not stop the others; its lease makes it due again.
        console.error(`[certdeck] probing endpoint ${id} failed`, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, claimed.length)) }, worker));
  return claimed.filter((id) => probed.includes(id));
}
