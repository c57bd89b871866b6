import { formatDateTime } from "@/lib/core/dates";
import type { ChainDiagnosis } from "@/lib/protocol/tls/chain-diagnosis";
import { certificateNames, type ServedCertificate } from "@/lib/protocol/tls/served-certificate";
import type { TlsFinding } from "@/lib/protocol/tls/tls-endpoint-status";

/** OpenSSL verdicts (node's authorizationError codes) that are about time, not about trust. */
const TIME_ERRORS = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

/** Plain words for the OpenSSL verdicts that remain once time and missing issuers are explained. */
const VERIFY_ERROR_WORDS: Record<string, string> = {
  CERT_SIGNATURE_FAILURE: "a signature in the chain does not verify (a corrupted or forged certificate)",
  CERT_REVOKED: "a certificate in the chain is revoked",
  INVALID_CA: "a certificate in the chain is used as a CA but is not one",
  INVALID_PURPOSE: "a certificate in the chain is not meant for TLS servers",
  PATH_LENGTH_EXCEEDED: "the chain is longer than its CA allows",
  CERT_UNTRUSTED: "the root is not trusted for TLS servers",
  CERT_REJECTED: "the root is explicitly distrusted",
};

export interface ServedChainFacts {
  /** As served, leaf first. */
  chain: ServedCertificate[];
  /** The name the client asked for (SNI, else the host), checked against the leaf. */
  expectedName: string;
  /** tls.checkServerIdentity's verdict: null when the name matches. */
  nameError: string | null;
  /** OpenSSL's verdict on the chain (TLSSocket.authorizationError); null when trusted. */
  authorizationError: string | null;
  diagnosis: ChainDiagnosis;
  /** The leaf names an AIA "CA Issuers" URL, as certificates from public CAs do. */
  leafHasCaIssuersUrl: boolean;
  now: Date;
  /** For the dates in the messages; default UTC. */
  timeZone?: string;
}

/**
 * Whether the chain itself is trusted, dates aside: OpenSSL said yes, or it objected only to a
 * date and the chain does lead to a trust anchor.
 */
export function isChainTrusted(facts: Pick<ServedChainFacts, "authorizationError" | "diagnosis">): boolean {
  if (facts.authorizationError === null) return true;
  return TIME_ERRORS.has(facts.authorizationError) && facts.diagnosis.kind === "anchored";
}

/**
 * Everything wrong with a served chain, most urgent first: dates, then the name, then trust.
 * Empty when the certificate is fine. Pure.
 */
export function findCertificateProblems(facts: ServedChainFacts): TlsFinding[] {
  const { chain, now } = facts;
  const at = (date: Date) => formatDateTime(date, facts.timeZone ?? "UTC");
  const [leaf, ...issuers] = chain;
  const leafNames = certificateNames(leaf).join(", ");
  const findings: TlsFinding[] = [];

  if (leaf.notAfter.getTime() < now.getTime()) {
    findings.push({ status: "expired", message: `The certificate for ${leafNames} expired on ${at(leaf.notAfter)}.` });
  } else if (leaf.notBefore.getTime() > now.getTime()) {
    findings.push({
      status: "not-yet-valid",
      message: `The certificate for ${leafNames} is not valid before ${at(leaf.notBefore)}; if it was just issued, check this server's clock.`,
    });
  }
  for (const issuer of issuers) {
    if (issuer.notAfter.getTime() < now.getTime()) {
      findings.push({
        status: "expired",
        message: `The intermediate certificate ${issuer.subject} in the served chain expired on ${at(issuer.notAfter)}: serve the CA's current chain.`,
      });
    }
  }

  if (facts.nameError !== null) {
    findings.push({ status: "wrong-name", message: `It serves a certificate for ${leafNames}, not for ${facts.expectedName}.` });
  }

  if (!isChainTrusted(facts)) findings.push(trustFinding(facts, leafNames));
  return findings;
}

function trustFinding(facts: ServedChainFacts, leafNames: string): TlsFinding {
  const { diagnosis } = facts;
  switch (diagnosis.kind) {
    case "self-signed":
      return {
        status: "self-signed",
        message: `The certificate for ${leafNames} is self-signed (issued by itself, ${diagnosis.subject}), which the system does not trust; serve a certificate from a CA, or add this one as the CA bundle.`,
      };
    case "missing-intermediates":
      return {
        status: "incomplete-chain",
        message: `The server sends its certificate without the intermediate ${diagnosis.missing.join(", ")}, so clients cannot build the chain to ${diagnosis.anchor}: serve fullchain.pem (certificate and intermediates), not cert.pem.`,
      };
    case "unknown-issuer":
      // A lone leaf from a public CA (it names where its issuer can be fetched) lacks its
      // intermediate; anything else comes from a CA this system does not know.
      if (diagnosis.servedAlone && facts.leafHasCaIssuersUrl) {
        return {
          status: "incomplete-chain",
          message: `The server sends only its own certificate, without the intermediate ${diagnosis.issuer} that issued it: serve fullchain.pem (certificate and intermediates), not cert.pem.`,
        };
      }
      return {
        status: "untrusted",
        message: `The certificate is issued by ${diagnosis.issuer}, which the system does not trust; add the CA bundle (that CA's root certificate).`,
      };
    case "anchored": {
      const code = facts.authorizationError ?? "";
      return {
        status: "untrusted",
        message: `The certificate chain up to ${diagnosis.anchor} does not verify: ${VERIFY_ERROR_WORDS[code] ?? `OpenSSL says ${code}`}.`,
      };
    }
  }
}
