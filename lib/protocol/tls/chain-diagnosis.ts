import type { X509Certificate } from "node:crypto";
import { describeCertificate, isIssuedBy } from "@/lib/protocol/tls/served-certificate";

/**
 * Why a served chain does or does not lead to a trusted root, worked out from the certificates
 * alone (issuer names and signatures). OpenSSL's verdict in the handshake decides WHETHER the
 * chain is trusted; this only picks the words for the sysadmin: a self-signed certificate, an
 * intermediate the server forgot to send, or an issuer nobody here trusts.
 */
export type ChainDiagnosis =
  /** The chain leads to a trust anchor (`anchor` is its CN). */
  | { kind: "anchored"; anchor: string }
  /** The leaf signed itself and is not a trust anchor. */
  | { kind: "self-signed"; subject: string }
  /** It would lead to a trust anchor with intermediates the server did not send (their CNs). */
  | { kind: "missing-intermediates"; missing: string[]; anchor: string }
  /** The chain stops at `issuer` (a CN), which is neither sent nor trusted. */
  | { kind: "unknown-issuer"; issuer: string; servedAlone: boolean };

/** Longest path followed; real chains have two or three certificates. */
const MAX_DEPTH = 8;

/**
 * `served`: the certificates the server sent, leaf first. `anchors`: the trusted roots (the
 * system's and the CA bundle's). `knownIntermediates`: intermediates CertDeck knows belong to
 * this certificate (its chain.pem), to recognise one the server left out.
 */
export function diagnoseChain(served: X509Certificate[], anchors: X509Certificate[], knownIntermediates: X509Certificate[] = []): ChainDiagnosis {
  const [leaf] = served;
  const anchorFingerprints = new Set(anchors.map((anchor) => anchor.fingerprint256));
  const visited = new Set<string>();
  const missing: string[] = [];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    visited.add(current.fingerprint256);
    const anchor = anchorFingerprints.has(current.fingerprint256) ? current : anchors.find((candidate) => isIssuedBy(current, candidate));
    if (anchor) {
      const anchorName = describeCertificate(anchor).subject;
      return missing.length > 0 ? { kind: "missing-intermediates", missing, anchor: anchorName } : { kind: "anchored", anchor: anchorName };
    }
    if (isIssuedBy(current, current)) {
      return depth === 0
        ? { kind: "self-signed", subject: describeCertificate(current).subject }
        : { kind: "unknown-issuer", issuer: describeCertificate(current).subject, servedAlone: false };
    }
    const fresh = (candidate: X509Certificate) => !visited.has(candidate.fingerprint256) && isIssuedBy(current, candidate);
    const next = served.find(fresh) ?? knownIntermediates.find(fresh);
    if (!next) break;
    if (!served.includes(next)) missing.push(describeCertificate(next).subject);
    current = next;
  }
  return { kind: "unknown-issuer", issuer: describeCertificate(current).issuer, servedAlone: served.length === 1 };
}
