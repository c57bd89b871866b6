import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { KeyUsageFlags, KeyUsagesExtension, SubjectAlternativeNameExtension, X509Certificate as PeculiarCertificate } from "@peculiar/x509";
import { keyTypeOfPem } from "@/lib/protocol/x509/key-type-of";
import { readCertificateFacts, type CertificateFacts } from "@/lib/protocol/x509/x509";

/**
 * Reading a certificate CertDeck did not issue, as an operator pastes it (PEM: the certificate,
 * its chain and its key, in any order) or exports it (PFX, opened by lib/protocol/x509/pfx.ts into
 * the same PEM). Finds the leaf that the key belongs to, orders the chain leaf → intermediates,
 * leaves out a root, and refuses, with a sentence the operator can act on, anything CertDeck
 * could not serve: no key, a key of another certificate, an expired or not yet valid
 * certificate, a CA certificate as the leaf, text that is not PEM. Pure: no disk, no network.
 */

/** Which input a problem is about (the upload's fields). */
export type UploadField = "pem" | "keyPassphrase" | "pfxBase64" | "password";

/** Why an upload is refused, and which field to point at. */
export class UploadProblem extends Error {
  constructor(
    readonly field: UploadField,
    message: string,
  ) {
    super(message);
    this.name = "UploadProblem";
  }
}

export interface UploadedCertificate {
  /** The leaf, then the intermediates towards the root (no root): fullchain.pem. */
  chainPem: string;
  /** The key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), whatever form it came in. */
  privateKeyPem: string;
  facts: CertificateFacts;
  /** The leaf's DNS and IP subjectAltNames in their order (its CN when it has none), as written. */
  names: string[];
  /** CertDeck's key type id (ec-p256 …) or a description such as "rsa-1024" or "ed25519". */
  keyType: string;
  /** What was left out or looks wrong but does not stop the upload, in plain words. */
  notices: string[];
}

export interface ReadUploadOptions {
  /** For an encrypted private key (ENCRYPTED PRIVATE KEY, or Proc-Type: 4,ENCRYPTED). */
  passphrase?: string;
  now?: Date;
  /** "pfx" when the PEM is what a PFX held (openPfx): refusals then point at the PFX file. */
  from?: "pem" | "pfx";
  /** How dates appear in refusals (the dashboard's time zone); ISO 8601 by default. */
  formatDate?: (date: Date) => string;
}

/** Leeway for a certificate issued a moment ago by a CA whose clock runs ahead. */
export const NOT_BEFORE_LEEWAY_MS = 5 * 60_000;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const KEY_LABELS = new Set(["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]);
/** Blocks that may sit beside the key (openssl ecparam -genkey writes one) and mean nothing here. */
const IGNORED_LABELS = new Set(["EC PARAMETERS"]);
const CERTIFICATE_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]);
/** A chain longer than this is not a TLS chain. */
const MAX_CERTIFICATES = 20;

interface PemBlock {
  label: string;
  pem: string;
  index: number;
}

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.replace(/\r\n/g, "\n").matchAll(PEM_BLOCK)) {
    blocks.push({ label: match[1], pem: `${match[0].trim()}\n`, index: blocks.length + 1 });
  }
  return blocks;
}

/**
 * Reads a pasted PEM bundle: one or more certificates and one private key, in any order (what
 * `cat fullchain.pem privkey.pem` gives, or the output of `openssl pkcs12 -nodes`).
 */
export function readUploadedPem(text: string, options: ReadUploadOptions = {}): UploadedCertificate {
  try {
    return readPem(text, options);
  } catch (error) {
    // The same checks for a PFX's content; the refusal then names the PFX, not a paste.
    if (options.from === "pfx" && error instanceof UploadProblem && error.field === "pem") throw new UploadProblem("pfxBase64", pfxWording(error.message));
    throw error;
  }
}

function pfxWording(message: string): string {
  if (message.startsWith("no private key"))
    return 'The PFX holds no private key: export the certificate again with its private key ("Yes, export the private key" on Windows).';
  if (message.startsWith("no certificate")) return "The PFX holds no certificate: export it again with the certificate.";
  return message;
}

function readPem(text: string, options: ReadUploadOptions): UploadedCertificate {
  const now = options.now ?? new Date();
  if (!text.trim()) throw new UploadProblem("pem", "Paste the certificate, its chain and its private key (PEM).");
  const blocks = pemBlocks(text);
  if (blocks.length === 0) {
    throw new UploadProblem("pem", `not a PEM certificate: ${describeNonPem(text)}`);
  }
  const unknown = blocks.find((block) => !KEY_LABELS.has(block.label) && !CERTIFICATE_LABELS.has(block.label) && !IGNORED_LABELS.has(block.label));
  if (unknown) {
    throw new UploadProblem(
      "pem",
      `not a PEM certificate: block ${unknown.index} is a ${unknown.label}${unknown.label.includes("REQUEST") ? " (a signing request, not the certificate the CA returned)" : ""}. Paste only certificates and the private key.`,
    );
  }

  const certificateBlocks = blocks.filter((block) => CERTIFICATE_LABELS.has(block.label));
  if (certificateBlocks.length === 0) throw new UploadProblem("pem", "no certificate: paste the certificate (-----BEGIN CERTIFICATE-----) with the key.");
  if (certificateBlocks.length > MAX_CERTIFICATES)
    throw new UploadProblem("pem", `${certificateBlocks.length} certificates were pasted; a certificate's chain has a handful at most.`);
  const certificates = certificateBlocks.map(readCertificate);

  const keyBlocks = blocks.filter((block) => KEY_LABELS.has(block.label));
  if (keyBlocks.length === 0) throw new UploadProblem("pem", "no private key: paste the private key (-----BEGIN PRIVATE KEY-----) after the certificates.");
  if (keyBlocks.length > 1) throw new UploadProblem("pem", `${keyBlocks.length} private keys were pasted: paste only the one that belongs to the certificate.`);
  const key = readPrivateKey(keyBlocks[0], options.passphrase);
  return assemble(certificates, key, now, options.formatDate ?? ((date) => date.toISOString()));
}

function describeNonPem(text: string): string {
  const trimmed = text.trim();
  if (/-----BEGIN /.test(trimmed)) return "a -----BEGIN … ----- line has no matching -----END … ----- line, or the lines between them were changed.";
  if (/^MII[A-Za-z0-9+/]/.test(trimmed)) return "this looks like base64 without its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines.";
  return "no -----BEGIN CERTIFICATE----- block was found.";
}

function readPrivateKey(block: PemBlock, passphrase: string | undefined): KeyObject {
  const isEncrypted = block.label === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(block.pem);
  if (isEncrypted && !passphrase) {
    throw new UploadProblem(
      "keyPassphrase",
      "The private key is encrypted: enter its passphrase (or decrypt it first with openssl pkey -in key.pem -out plain.pem).",
    );
  }
  try {
    return createPrivateKey(isEncrypted ? { key: block.pem, format: "pem", passphrase } : { key: block.pem, format: "pem" });
  } catch (error) {
    if (isEncrypted) throw new UploadProblem("keyPassphrase", "The passphrase does not open the private key: check it and try again.");
    throw new UploadProblem("pem", `not a PEM private key: the ${block.label} block does not parse (${shortReason(error)}).`);
  }
}

function readCertificate(block: PemBlock): X509Certificate {
  // "TRUSTED CERTIFICATE" carries OpenSSL's trust settings after the certificate: Node reads the certificate.
  const pem = block.label === "CERTIFICATE" ? block.pem : block.pem.replace(new RegExp(block.label, "g"), "CERTIFICATE");
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new UploadProblem("pem", `not a PEM certificate: block ${block.index} does not parse (${shortReason(error)}).`);
  }
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, "").slice(0, 120) || "unreadable";
}

/**
 * A certificate that issues others: an intermediate, or a root that may sign certificates. A
 * self-signed server certificate made with `openssl req -x509` says CA:TRUE too (OpenSSL's
 * default), but has no keyCertSign usage: it is taken as the leaf it is meant to be.
 */
function isCertificateAuthority(certificate: X509Certificate): boolean {
  if (!certificate.ca) return false;
  if (!isSelfIssued(certificate)) return true;
  const usage = new PeculiarCertificate(certificate.raw).getExtension(KeyUsagesExtension);
  return usage !== null && (usage.usages & KeyUsageFlags.keyCertSign) !== 0;
}

function isSelfIssued(certificate: X509Certificate): boolean {
  return certificate.subject === certificate.issuer && certificate.checkIssued(certificate);
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

function assemble(certificates: X509Certificate[], key: KeyObject, now: Date, formatDate: (date: Date) => string): UploadedCertificate {
  const notices: string[] = [];
  const unique = certificates.filter((certificate, index) => certificates.findIndex((other) => other.fingerprint256 === certificate.fingerprint256) === index);

  const matching = unique.filter((certificate) => certificate.checkPrivateKey(key));
  if (matching.length === 0) {
    const leaves = unique.filter((certificate) => !isCertificateAuthority(certificate));
    const which = leaves.length === 1 ? ` (${subjectName(leaves[0])})` : "";
    throw new UploadProblem(
      "pem",
      `The private key belongs to another certificate: it does not match the certificate${which}. Paste the key that was made with this certificate's request.`,
    );
  }
  const leaf = matching.find((certificate) => !isCertificateAuthority(certificate)) ?? matching[0];
  if (isCertificateAuthority(leaf)) {
    throw new UploadProblem(
      "pem",
      `The key belongs to a CA certificate (${subjectName(leaf)}), not to a server certificate: upload the certificate issued for your names, with its key.`,
    );
  }

  const chain = [leaf];
  const rest = unique.filter((certificate) => certificate !== leaf);
  let droppedRoot: X509Certificate | null = null;
  for (let current = leaf; !isSelfIssued(current);) {
    const parent = rest.find((candidate) => !chain.includes(candidate) && issuedBy(current, candidate));
    if (!parent) break;
    if (isSelfIssued(parent)) {
      // Clients have the root; serving it only adds bytes (and certbot's fullchain.pem has none).
      droppedRoot = parent;
      break;
    }
    chain.push(parent);
    current = parent;
  }
  if (droppedRoot) notices.push(`The root certificate (${subjectName(droppedRoot)}) was left out: clients already trust it, and servers need not send it.`);
  const unused = rest.filter((certificate) => !chain.includes(certificate) && certificate !== droppedRoot);
  if (unused.length > 0) {
    notices.push(
      `${unused.length === 1 ? "1 certificate is" : `${unused.length} certificates are`} not part of this certificate's chain and ${unused.length === 1 ? "was" : "were"} left out: ${unused.map(subjectName).join("; ")}.`,
    );
  }
  if (isSelfIssued(leaf)) {
    notices.push("The certificate is self-signed: only clients told to trust it will accept it.");
  } else if (chain.length === 1 && !droppedRoot) {
    notices.push(
      `No certificate for its issuer (${issuerName(leaf)}) was included: if clients report an incomplete chain, upload it again with the intermediate certificates.`,
    );
  }

  const chainPem = chain.map((certificate) => `${certificate.toString().trim()}\n`).join("");
  const facts = readCertificateFacts(chainPem);
  if (facts.notAfter.getTime() <= now.getTime()) {
    throw new UploadProblem("pem", `The certificate expired on ${formatDate(facts.notAfter)}: renew it where it was issued, then upload the new one.`);
  }
  if (facts.notBefore.getTime() > now.getTime() + NOT_BEFORE_LEEWAY_MS) {
    throw new UploadProblem(
      "pem",
      `The certificate is not valid until ${formatDate(facts.notBefore)}: services given it now would refuse it. Upload it once it is valid.`,
    );
  }

  const privateKeyPem = key.export({ type: "pkcs8", format: "pem" }).toString();
  const names = namesOf(leaf);
  if (names.length === 0)
    throw new UploadProblem("pem", `The certificate (${subjectName(leaf)}) names no host: it has no DNS or IP subjectAltName and no common name.`);
  return { chainPem, privateKeyPem, facts, names, keyType: describeKeyType(key, privateKeyPem), notices };
}

/** The leaf's DNS and IP subjectAltNames in their order, or its common name when it has none. */
function namesOf(leaf: X509Certificate): string[] {
  const certificate = new PeculiarCertificate(leaf.raw);
  const san = certificate.getExtension(SubjectAlternativeNameExtension);
  const names = (san?.names.items ?? []).filter((name) => name.type === "dns" || name.type === "ip").map((name) => name.value);
  if (names.length > 0) return names;
  return certificate.subjectName.getField("CN").slice(0, 1);
}

function subjectName(certificate: X509Certificate): string {
  return dnField(certificate.subject, "CN") ?? dnField(certificate.subject, "O") ?? certificate.subject.replace(/\n/g, ", ");
}

function issuerName(certificate: X509Certificate): string {
  return dnField(certificate.issuer, "CN") ?? dnField(certificate.issuer, "O") ?? certificate.issuer.replace(/\n/g, ", ");
}

function dnField(dn: string, field: string): string | undefined {
  return dn
    .split("\n")
    .map((line) => line.split("="))
    .find(([name]) => name === field)?.[1];
}

function describeKeyType(key: KeyObject, privateKeyPem: string): string {
  const known = keyTypeOfPem(privateKeyPem);
  if (known) return known;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") return `${key.asymmetricKeyType}-${details.modulusLength ?? "?"}`;
  if (key.asymmetricKeyType === "ec") return `ec-${details.namedCurve ?? "?"}`;
  return key.asymmetricKeyType ?? "unknown";
}
