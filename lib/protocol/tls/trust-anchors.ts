import { X509Certificate } from "node:crypto";
import tls from "node:tls";
import { splitPemChain } from "@/lib/protocol/x509/x509";

/**
 * The roots a probe trusts: the system's (Node's root store, as everywhere else in CertDeck)
 * plus an optional CA bundle, as a secure context for the handshake and as parsed certificates
 * for the chain diagnosis. Both are cached per bundle: building them parses every root (~15 ms
 * of CPU), which the endpoint watch would otherwise repeat for each probe.
 */
export interface TrustAnchors {
  secureContext: tls.SecureContext;
  certificates: X509Certificate[];
}

const cache = new Map<string, TrustAnchors>();
/** A watch has a handful of bundles; this bound only stops a leak if something loops over many. */
const MAX_CACHED = 32;

export function parsePemCertificates(pem: string | null | undefined): X509Certificate[] {
  return pem ? splitPemChain(pem).map((block) => new X509Certificate(block)) : [];
}

export function trustAnchorsFor(caBundlePem?: string | null): TrustAnchors {
  const key = caBundlePem ?? "";
  let anchors = cache.get(key);
  if (!anchors) {
    const bundle = parsePemCertificates(caBundlePem);
    anchors = {
      secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, ...bundle.map((certificate) => certificate.toString())] }),
      certificates: [...tls.rootCertificates.map((pem) => new X509Certificate(pem)), ...bundle],
    };
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, anchors);
  }
  return anchors;
}
