import { X509Certificate } from "node:crypto";

export interface CertificateFacts {
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** The issuer's common name (or organisation when there is no CN). */
  issuer: string;
  /** Upper-case hex pairs separated by colons, as browsers and openssl show it. */
  fingerprintSha256: string;
  subjectAltNames: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits a PEM chain into its certificates, leaf first. */
export function splitPemChain(chainPem: string): string[] {
  return (chainPem.match(PEM_BLOCK) ?? []).map((block) => `${block}\n`);
}

function distinguishedNameField(dn: string, field: string): string | undefined {
  return dn
    .split("\n")
    .map((line) => line.split("="))
    .find(([key]) => key === field)?.[1];
}

/** Reads what the dashboard stores about a certificate from the leaf of a PEM chain. */
export function readCertificateFacts(chainPem: string): CertificateFacts {
  const [leafPem] = splitPemChain(chainPem);
  if (!leafPem) throw new Error("no certificate in PEM");
  const leaf = new X509Certificate(leafPem);
  return {
    serial: leaf.serialNumber.toLowerCase(),
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
    issuer: distinguishedNameField(leaf.issuer, "CN") ?? distinguishedNameField(leaf.issuer, "O") ?? leaf.issuer,
    fingerprintSha256: leaf.fingerprint256,
    subjectAltNames: (leaf.subjectAltName ?? "")
      .split(", ")
      .filter(Boolean)
      .map((entry) => entry.replace(/^(DNS|IP Address):/, "")),
  };
}
