import { X509Certificate } from "node:crypto";
import type net from "node:net";
import tls from "node:tls";
import { diagnoseChain } from "@/lib/protocol/tls/chain-diagnosis";
import { findCertificateProblems, isChainTrusted } from "@/lib/protocol/tls/certificate-findings";
import { classifyConnectionError, timeoutFinding, type ConnectionErrorLike } from "@/lib/protocol/tls/connection-findings";
import { formatEndpointAddress, isDnsName } from "@/lib/protocol/tls/endpoint-address";
import { certificateNames, describeCertificate, type ServedCertificate } from "@/lib/protocol/tls/served-certificate";
import type { TlsEndpointStatus, TlsFinding } from "@/lib/protocol/tls/tls-endpoint-status";
import { parsePemCertificates, trustAnchorsFor } from "@/lib/protocol/tls/trust-anchors";
import { formatDateTime } from "@/lib/core/dates";
import { settleOnce } from "@/lib/core/settle-once";

/**
 * Connects to a TLS endpoint the way a client would and reports what it serves: the chain, the
 * leaf's fingerprint and dates, whether the name matches and whether the chain is trusted, and
 * every problem in plain words. Never throws for anything the endpoint does: refused, timeouts,
 * DNS failures and bad certificates are results.
 */
export interface TlsProbeOptions {
  /** IPv4 or IPv6 address (brackets allowed) or DNS name. */
  host: string;
  port: number;
  /**
   * The SNI name. Default: `host` when it is a DNS name, none for an address. null: send none
   * (what a client gets from a server's default block).
   */
  servername?: string | null;
  /** The name the certificate must be valid for; default the SNI name, else `host`. */
  expectedName?: string;
  /** Roots trusted in addition to the system's (a private CA's root), PEM. */
  caBundlePem?: string | null;
  /** Intermediates known to belong to the certificate (CertDeck's chain.pem), to recognise one the server left out. */
  knownIntermediatesPem?: string | null;
  /** DNS lookup and TCP connect; default 5 000 ms. */
  connectTimeoutMs?: number;
  /** From the TCP connection to a finished handshake; default 5 000 ms. */
  handshakeTimeoutMs?: number;
  /** The moment validity is judged at; default now. */
  now?: Date;
  /** For dates in messages; default UTC. */
  timeZone?: string;
  /**
   * Resolves a DNS host (net's `lookup`), e.g. one that refuses addresses CertDeck must not
   * connect to (lib/protocol/net/outbound-url.ts). An error it raises with reason
   * "outbound-address" is reported in its own words. Addresses given as host skip it.
   */
  lookup?: net.LookupFunction;
}

/** What the endpoint presented, when the handshake completed. */
export interface ServedEndpoint {
  /** The address actually connected to (after DNS). */
  remoteAddress: string | null;
  /** "TLSv1.3" … */
  protocol: string | null;
  /**
   * The chain the server sent, leaf first, in issuing order. A root at its end that the trust
   * store supplied is left out (Node completes the chain from the store, so a root the server
   * sent itself cannot be told apart; sending it changes nothing for clients anyway).
   */
  chain: ServedCertificate[];
  leaf: ServedCertificate;
  /** tls.checkServerIdentity against the expected name. */
  nameMatches: boolean;
  /** The chain leads to a trusted root (dates aside: an expired but otherwise trusted certificate counts). */
  chainTrusted: boolean;
  /** OpenSSL's verdict as Node reports it ("CERT_HAS_EXPIRED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE" …); null when trusted. */
  authorizationError: string | null;
}

export interface TlsProbeResult {
  /** "ok", or the most urgent finding's status. */
  status: TlsEndpointStatus;
  /** One sentence for the sysadmin: the most urgent finding, or what is served when all is well. */
  message: string;
  /** Every problem found, most urgent first; empty when the status is "ok". */
  findings: TlsFinding[];
  /** "127.0.0.1:443", "[::1]:443", "shop.example:443". */
  endpoint: string;
  servername: string | null;
  expectedName: string;
  served: ServedEndpoint | null;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

export async function probeTlsEndpoint(options: TlsProbeOptions): Promise<TlsProbeResult> {
  const started = performance.now();
  const host = options.host.replace(/^\[(.*)\]$/, "$1");
  const endpoint = formatEndpointAddress({ host, port: options.port });
  const requested = options.servername === undefined ? (isDnsName(host) ? host : null) : options.servername;
  // RFC 6066: SNI carries DNS names only; an address given as servername is checked, not sent.
  const servername = requested && isDnsName(requested) ? requested.replace(/\.$/, "") : null;
  const expectedName = options.expectedName ?? requested ?? host;
  const anchors = trustAnchorsFor(options.caBundlePem);
  const base = { endpoint, servername, expectedName };
  const finish = (served: ServedEndpoint | null, findings: TlsFinding[], okMessage = ""): TlsProbeResult => ({
    status: findings[0]?.status ?? "ok",
    message: findings[0]?.message ?? okMessage,
    findings,
    ...base,
    served,
    durationMs: Math.round(performance.now() - started),
  });

  const outcome = await handshake({
    host,
    port: options.port,
    servername,
    secureContext: anchors.secureContext,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    lookup: options.lookup,
  });
  if (outcome.kind === "timeout") return finish(null, [timeoutFinding(outcome.phase, endpoint, outcome.timeoutMs)]);
  if (outcome.kind === "error") return finish(null, [classifyConnectionError(outcome.error, { endpoint, host, servername })]);

  const { peer } = outcome;
  if (!peer.raw) return finish(null, [{ status: "handshake-failed", message: `${endpoint} completed the handshake without presenting a certificate.` }]);
  const anchorFingerprints = new Set(anchors.certificates.map((certificate) => certificate.fingerprint256));
  const servedX509 = chainOf(peer);
  // Drop what Node appended from the trust store: self-issued anchors after the leaf.
  while (servedX509.length > 1) {
    const last = servedX509[servedX509.length - 1];
    if (!anchorFingerprints.has(last.fingerprint256) || !last.checkIssued(last)) break;
    servedX509.pop();
  }
  const chain = servedX509.map(describeCertificate);
  const leaf = chain[0];
  const diagnosis = diagnoseChain(servedX509, anchors.certificates, parsePemCertificates(options.knownIntermediatesPem));
  const nameError = tls.checkServerIdentity(expectedName, peer) ?? null;
  const facts = {
    chain,
    expectedName,
    nameError: nameError ? nameError.message : null,
    authorizationError: outcome.authorizationError,
    diagnosis,
    leafHasCaIssuersUrl: /CA Issuers/.test(servedX509[0].infoAccess ?? ""),
    now: options.now ?? new Date(),
    timeZone: options.timeZone,
  };
  const served: ServedEndpoint = {
    remoteAddress: outcome.remoteAddress,
    protocol: outcome.protocol,
    chain,
    leaf,
    nameMatches: nameError === null,
    chainTrusted: isChainTrusted(facts),
    authorizationError: outcome.authorizationError,
  };
  const okMessage = `${endpoint} serves a valid, trusted certificate for ${certificateNames(leaf).join(", ")} until ${formatDateTime(leaf.notAfter, options.timeZone ?? "UTC")}.`;
  return finish(served, findCertificateProblems(facts), okMessage);
}

/** The certificates Node reports, leaf first, following issuerCertificate (which ends on a self-reference at a root). */
function chainOf(peer: tls.DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let current: tls.DetailedPeerCertificate | undefined = peer; current?.raw && !seen.has(current.fingerprint256); current = current.issuerCertificate) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
  }
  return chain;
}

type HandshakeOutcome =
  | { kind: "done"; peer: tls.DetailedPeerCertificate; authorizationError: string | null; protocol: string | null; remoteAddress: string | null }
  | { kind: "error"; error: ConnectionErrorLike }
  | { kind: "timeout"; phase: "connect" | "handshake"; timeoutMs: number };

/**
 * One TLS handshake that accepts whatever certificate it gets (rejectUnauthorized: false, no
 * name check), so that OpenSSL's verdict and the name can be reported instead of just refused.
 */
function handshake(options: {
  host: string;
  port: number;
  servername: string | null;
  secureContext: tls.SecureContext;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  lookup?: net.LookupFunction;
}): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: options.host,
      port: options.port,
      // An empty string sends no SNI even for a DNS host (Node would otherwise default to the host).
      servername: options.servername ?? "",
      secureContext: options.secureContext,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    const settle = settleOnce(resolve, () => {
      clearTimeout(timer);
      socket.destroy();
    });
    let timer = setTimeout(() => settle({ kind: "timeout", phase: "connect", timeoutMs: options.connectTimeoutMs }), options.connectTimeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      timer = setTimeout(() => settle({ kind: "timeout", phase: "handshake", timeoutMs: options.handshakeTimeoutMs }), options.handshakeTimeoutMs);
    });
    socket.once("secureConnect", () => {
      const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
      settle({
        kind: "done",
        peer: socket.getPeerCertificate(true),
        authorizationError,
        protocol: socket.getProtocol(),
        remoteAddress: socket.remoteAddress ?? null,
      });
    });
    socket.once("error", (error: NodeJS.ErrnoException & { reason?: string }) =>
      settle({ kind: "error", error: { code: error.code, message: error.message, reason: error.reason } }),
    );
    // A server that closes without a word, before the handshake finished.
    socket.once("close", () => settle({ kind: "error", error: { code: "ECONNRESET", message: "the connection was closed during the TLS handshake" } }));
  });
}
