import { X509Certificate } from "node:crypto";
import { readCertificateFacts } from "@/lib/protocol/x509/x509";

/** What a sysadmin wants to know about one certificate a server presented. */
export interface ServedCertificate {
  pem: string;
  /** Same format as CertDeck's stored fingerprintSha256 (X509Certificate.fingerprint256). */
  fingerprintSha256: string;
  /** The subject's CN (or the whole subject when it has none). */
  subject: string;
  /** DNS names and IP addresses, without "DNS:" / "IP Address:". */
  subjectAltNames: string[];
  /** The issuer's CN (or O). */
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** Issued by itself (a root, or a self-signed server certificate). */
  isSelfIssued: boolean;
}

function commonName(distinguishedName: string): string {
  const line = distinguishedName.split("\n").find((entry) => entry.startsWith("CN="));
  return line ? line.slice(3) : distinguishedName.replaceAll("\n", ", ");
}

export function describeCertificate(certificate: X509Certificate): ServedCertificate {
  const pem = certificate.toString();
  const facts = readCertificateFacts(pem);
  return {
    pem,
    fingerprintSha256: facts.fingerprintSha256,
    subject: commonName(certificate.subject),
    subjectAltNames: facts.subjectAltNames,
    issuer: facts.issuer,
    serial: facts.serial,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    isSelfIssued: isIssuedBy(certificate, certificate),
  };
}

/** `child` names `parent` as its issuer and carries `parent`'s signature. */
export function isIssuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false; // a key type the signature cannot be checked with: not its issuer
  }
}

/** The names a certificate is for: its SANs, or its CN when it has none (old certificates). */
export function certificateNames(certificate: ServedCertificate): string[] {
  return certificate.subjectAltNames.length > 0 ? certificate.subjectAltNames : [certificate.subject];
}
