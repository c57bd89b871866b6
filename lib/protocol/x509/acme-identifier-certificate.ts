/**
 * The self-signed certificate a TLS-ALPN-01 responder presents (RFC 8737 §3): the identifier as
 * its only subjectAltName (dNSName, or iPAddress for IP identifiers per RFC 8738 §6) and the
 * critical id-pe-acmeIdentifier extension holding SHA-256(key authorization) as an OCTET STRING.
 * Nothing trusts it and it lives only while the CA validates.
 */
import { createHash, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/** id-pe-acmeIdentifier (RFC 8737 §6.1). */
export const ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";

export interface AcmeIdentifierCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const HOUR_MS = 3600_000;

/** The extension's value: DER OCTET STRING (tag 0x04, length 32) around the 32-byte digest. */
export function acmeIdentifierExtensionValue(keyAuthorization: string): Buffer {
  const digest = createHash("sha256").update(keyAuthorization).digest();
  return Buffer.concat([Buffer.from([0x04, digest.length]), digest]);
}

export async function createAcmeIdentifierCertificate(
  identifier: { type: "dns" | "ip"; value: string },
  keyAuthorization: string,
  now = new Date(),
): Promise<AcmeIdentifierCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = (await crypto.subtle.generateKey(ECDSA_P256, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      keys,
      signingAlgorithm: SIGNING,
      // A positive serial: 16 random bytes with the top bit cleared.
      serialNumber: Buffer.from(randomBytes(16).map((byte, index) => (index === 0 ? byte & 0x7f : byte))).toString("hex"),
      // A common name may hold at most 64 characters; the SAN is what the CA checks anyway.
      name: identifier.value.length <= 64 ? [{ CN: [identifier.value] }] : [{ O: ["CertDeck TLS-ALPN-01 challenge"] }],
      // An hour of clock skew either way; the certificate is thrown away after validation.
      notBefore: new Date(now.getTime() - HOUR_MS),
      notAfter: new Date(now.getTime() + 24 * HOUR_MS),
      extensions: [
        new x509.SubjectAlternativeNameExtension([{ type: identifier.type === "ip" ? "ip" : "dns", value: identifier.value }]),
        new x509.Extension(ACME_IDENTIFIER_OID, true, new Uint8Array(acmeIdentifierExtensionValue(keyAuthorization))),
      ],
    },
    crypto,
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  return {
    certificatePem: certificate.toString("pem"),
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8
      .toString("base64")
      .replace(/(.{64})/g, "$1\n")
      .replace(/\n?$/, "\n")}-----END PRIVATE KEY-----\n`,
  };
}
