import { X509Certificate } from "node:crypto";
import https from "node:https";
import http from "node:http";
import { DEFAULT_ACME_NETWORK, httpAgentFor, httpsAgentFor } from "@/lib/protocol/acme/https-trust";
import { checkOutboundUrl, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";
import { watchRequestTimeouts } from "@/lib/protocol/net/request-timeouts";
import { splitPemChain } from "@/lib/protocol/x509/x509";

/**
 * ACME Renewal Information (RFC 9773): the CA's suggested renewal window for a certificate.
 * acme-client has no ARI support; this is the one GET plus the CertID used in `replaces`.
 */

/** CertID = base64url(AKI keyIdentifier) "." base64url(serial as DER INTEGER content), no padding. */
export function formatAriCertId(authorityKeyIdHex: string, serialHex: string): string {
  const serialDigits = serialHex.replace(/[^0-9a-f]/gi, "");
  let serial = Buffer.from(serialDigits.length % 2 ? `0${serialDigits}` : serialDigits, "hex");
  // DER INTEGER content is the minimal two's-complement form: strip redundant leading zeros, then
  // put one back when the high bit is set so the number stays positive.
  while (serial.length > 1 && serial[0] === 0 && serial[1] < 0x80) serial = serial.subarray(1);
  if (serial[0] >= 0x80) serial = Buffer.concat([Buffer.from([0]), serial]);
  const aki = Buffer.from(authorityKeyIdHex.replace(/[^0-9a-f]/gi, ""), "hex");
  return `${aki.toString("base64url")}.${serial.toString("base64url")}`;
}

/**
 * The CertID of the leaf of a PEM chain, or null when it carries no Authority Key Identifier.
 * Read from the DER with the few steps it takes (Node parses and checks the certificate): a full
 * ASN.1 decoding of it cost about 4 ms of CPU for every issued version.
 */
export function ariCertIdOf(chainPem: string): string | null {
  const [leafPem] = splitPemChain(chainPem);
  if (!leafPem) return null;
  const der = new X509Certificate(leafPem).raw;
  const certificate = derElement(der, 0);
  const [tbs] = derChildren(der, certificate);
  const fields = derChildren(der, tbs);
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject,
  // subjectPublicKeyInfo, [1] and [2] unique ids (optional), [3] extensions.
  const serial = fields[fields[0]?.tag === 0xa0 ? 1 : 0];
  const extensions = fields.find((field) => field.tag === 0xa3);
  if (!serial || serial.tag !== 0x02 || !extensions) return null;
  const [list] = derChildren(der, extensions);
  for (const extension of list ? derChildren(der, list) : []) {
    const [id, ...rest] = derChildren(der, extension);
    if (id?.tag !== 0x06 || !der.subarray(id.start, id.end).equals(AUTHORITY_KEY_IDENTIFIER_OID)) continue;
    const value = rest.at(-1);
    if (value?.tag !== 0x04) return null;
    const [aki] = derChildren(der, value);
    const keyIdentifier = aki?.tag === 0x30 ? derChildren(der, aki).find((field) => field.tag === 0x80) : undefined;
    if (!keyIdentifier || keyIdentifier.end === keyIdentifier.start) return null;
    return formatAriCertId(der.subarray(keyIdentifier.start, keyIdentifier.end).toString("hex"), der.subarray(serial.start, serial.end).toString("hex"));
  }
  return null;
}

/** 2.5.29.35, id-ce-authorityKeyIdentifier (RFC 5280 section 4.2.1.1), as DER OID content. */
const AUTHORITY_KEY_IDENTIFIER_OID = Buffer.from([0x55, 0x1d, 0x23]);

interface DerElement {
  tag: number;
  /** Where the content starts and ends in the buffer. */
  start: number;
  end: number;
}

/** The DER element at `offset` (definite lengths only, as DER has). */
function derElement(der: Buffer, offset: number): DerElement {
  if (offset + 2 > der.length) throw new Error("truncated DER");
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Error("unsupported DER length");
    length = 0;
    for (let index = 0; index < bytes; index++) length = length * 256 + der[start + index];
    start += bytes;
  }
  const end = start + length;
  if (end > der.length) throw new Error("truncated DER");
  return { tag, start, end };
}

/** The elements inside a constructed element (or an OCTET STRING that wraps one). */
function derChildren(der: Buffer, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.start; offset < parent.end;) {
    const child = derElement(der, offset);
    if (child.end > parent.end) throw new Error("truncated DER");
    children.push(child);
    offset = child.end;
  }
  return children;
}

export interface RenewalInfo {
  windowStart: Date;
  windowEnd: Date;
  explanationUrl: string | null;
}

/** Validates a renewalInfo response body; null when it is not a usable RFC 9773 document. */
export function parseRenewalInfo(body: unknown): RenewalInfo | null {
  if (typeof body !== "object" || body === null) return null;
  const { suggestedWindow, explanationURL } = body as { suggestedWindow?: { start?: unknown; end?: unknown }; explanationURL?: unknown };
  if (typeof suggestedWindow?.start !== "string" || typeof suggestedWindow?.end !== "string") return null;
  const windowStart = new Date(suggestedWindow.start);
  const windowEnd = new Date(suggestedWindow.end);
  if (Number.isNaN(windowStart.getTime()) || Number.isNaN(windowEnd.getTime()) || windowEnd <= windowStart) return null;
  const explanationUrl = typeof explanationURL === "string" && /^https?:\/\//.test(explanationURL) ? explanationURL : null;
  return { windowStart, windowEnd, explanationUrl };
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = new Date(header);
  return Number.isNaN(date.getTime()) ? null : Math.max(0, Math.round((date.getTime() - now.getTime()) / 1000));
}

export interface RenewalInfoResponse {
  info: RenewalInfo | null;
  retryAfterSeconds: number | null;
}

/**
 * One unauthenticated GET of <renewalInfo>/<certID>, 10 s to connect and 10 s of silence at most.
 * Throws on network errors, and AppError when the outbound policy refuses the URL (the
 * renewalInfo URL comes from the CA's directory).
 */
export async function fetchRenewalInfo(
  renewalInfoUrl: string,
  certId: string,
  caBundlePem?: string | null,
  now = new Date(),
  network: OutboundPolicy = DEFAULT_ACME_NETWORK,
): Promise<RenewalInfoResponse> {
  const url = checkOutboundUrl(`${renewalInfoUrl.replace(/\/$/, "")}/${certId}`, network);
  const { status, body, retryAfter } = await new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
    const options = { headers: { accept: "application/json" } };
    const request =
      url.protocol === "https:"
        ? https.get(url, { ...options, agent: httpsAgentFor(caBundlePem, network) })
        : http.get(url, { ...options, agent: httpAgentFor(network) });
    watchRequestTimeouts(request, url.host, { connectTimeoutMs: 10_000, answerTimeoutMs: 10_000, totalTimeoutMs: 30_000 });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text, retryAfter: response.headers["retry-after"] }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
  let info: RenewalInfo | null = null;
  if (status === 200) {
    try {
      info = parseRenewalInfo(JSON.parse(body));
    } catch {
      info = null;
    }
  }
  return { info, retryAfterSeconds: parseRetryAfter(retryAfter, now) };
}
