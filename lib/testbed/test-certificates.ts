/**
 * Throwaway certificates for the TLS tests: a test CA (optionally with an intermediate) and
 * leaves with any names and any validity period, past or future, so that expired and
 * not-yet-valid certificates need no waiting. ECDSA P-256 keeps generation fast. Built with
 * @peculiar/x509 on Node's WebCrypto; nothing here is meant to be trusted outside a test.
 */
import { randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import * as x509 from "@peculiar/x509";

const crypto = webcrypto as unknown as Crypto;
const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 24 * 3600_000;

export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
  /** Same format as CertDeck's fingerprintSha256 (X509Certificate.fingerprint256). */
  fingerprintSha256: string;
}

export interface TestLeafOptions {
  /** DNS names and IP addresses, each becomes a subjectAltName; the first is the CN. */
  names: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** An AIA "CA Issuers" URL, as public CAs put in every leaf. */
  caIssuersUrl?: string;
}

export interface TestCertificateAuthority extends TestCertificate {
  commonName: string;
  /** Signs a leaf for `names` (valid from a day ago for 30 days unless told otherwise). */
  issue(options: TestLeafOptions): Promise<TestCertificate>;
  /** A CA certificate signed by this one, which can issue leaves itself. */
  createIntermediate(commonName: string): Promise<TestCertificateAuthority>;
}

/** A positive serial: 16 random bytes with the top bit cleared. */
function randomSerial(): string {
  return Buffer.from(randomBytes(16).map((byte, index) => (index === 0 ? byte & 0x7f : byte))).toString("hex");
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", key));
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n?$/, "\n")}-----END PRIVATE KEY-----\n`;
}

function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

const newKeys = () => crypto.subtle.generateKey(ECDSA_P256, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;

function authority(commonName: string, certificate: x509.X509Certificate, keys: CryptoKeyPair, keyPem: string): TestCertificateAuthority {
  const certificatePem = certificate.toString("pem") + "\n";
  const issuerName = certificate.subject;
  const sign = async (subject: string, publicKey: CryptoKey, extensions: x509.Extension[], notBefore: Date, notAfter: Date) =>
    x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject,
        issuer: issuerName,
        notBefore,
        notAfter,
        signingAlgorithm: SIGNING,
        publicKey,
        signingKey: keys.privateKey,
        extensions: [
          ...extensions,
          await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey, false, crypto),
          await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
        ],
      },
      crypto,
    );

  return {
    commonName,
    certificatePem,
    privateKeyPem: keyPem,
    fingerprintSha256: fingerprintOf(certificatePem),
    async issue({ names, notBefore, notAfter, caIssuersUrl }) {
      const leafKeys = await newKeys();
      const now = Date.now();
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) ? ("ip" as const) : ("dns" as const), value: name }))),
      ];
      if (caIssuersUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ caIssuers: new x509.GeneralName("url", caIssuersUrl) }));
      const leaf = await sign(`CN=${names[0]}`, leafKeys.publicKey, extensions, notBefore ?? new Date(now - DAY_MS), notAfter ?? new Date(now + 30 * DAY_MS));
      const pem = leaf.toString("pem") + "\n";
      return { certificatePem: pem, privateKeyPem: await privateKeyPem(leafKeys.privateKey), fingerprintSha256: fingerprintOf(pem) };
    },
    async createIntermediate(intermediateName) {
      const intermediateKeys = await newKeys();
      const now = Date.now();
      const certificate = await sign(
        `CN=${intermediateName}`,
        intermediateKeys.publicKey,
        [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
        new Date(now - 2 * DAY_MS),
        new Date(now + 365 * DAY_MS),
      );
      return authority(intermediateName, certificate, intermediateKeys, await privateKeyPem(intermediateKeys.privateKey));
    },
  };
}

/** A self-signed root CA, valid from two days ago for a year. */
export async function createTestCertificateAuthority(commonName: string): Promise<TestCertificateAuthority> {
  const keys = await newKeys();
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      keys,
      serialNumber: randomSerial(),
      name: `CN=${commonName}`,
      notBefore: new Date(now - 2 * DAY_MS),
      notAfter: new Date(now + 365 * DAY_MS),
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return authority(commonName, certificate, keys, await privateKeyPem(keys.privateKey));
}

/** A leaf that signed itself (no CA at all), as a freshly installed server often serves. */
export async function createSelfSignedCertificate(names: string[]): Promise<TestCertificate> {
  const keys = await newKeys();
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      keys,
      serialNumber: randomSerial(),
      name: `CN=${names[0]}`,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 30 * DAY_MS),
      signingAlgorithm: SIGNING,
      extensions: [new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) ? ("ip" as const) : ("dns" as const), value: name })))],
    },
    crypto,
  );
  const pem = certificate.toString("pem") + "\n";
  return { certificatePem: pem, privateKeyPem: await privateKeyPem(keys.privateKey), fingerprintSha256: fingerprintOf(pem) };
}
