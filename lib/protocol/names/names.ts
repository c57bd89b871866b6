/**
 * Certificate name (ACME identifier) parsing and validation.
 *
 * One module shared by the issue form, the server action and the API so that
 * all three accept and refuse exactly the same input. Pure logic: only Node
 * built-ins are imported.
 */
import { isIP } from "node:net";
import { domainToASCII, domainToUnicode } from "node:url";
import { canonicalIPv6 } from "@/lib/protocol/net/ip-address";
import { checkUnicodeName } from "@/lib/protocol/names/confusables";
import { classifyAddress, isAllowedAddress, labOptInFor } from "@/lib/protocol/net/special-addresses";

export type IdentifierType = "dns" | "ip";

export interface Identifier {
  type: IdentifierType;
  value: string;
  /** the Unicode form when value is punycode (IDN), else undefined */
  unicode?: string;
}

export type NameParseResult = { ok: true; identifiers: Identifier[] } | { ok: false; errors: string[] }; // each message names the bad entry, e.g. `"a..b.com": empty label`

export interface NameParseOptions {
  challengeMethod?: "http-01-app" | "http-01-standalone" | "dns-01" | string;
  /**
   * Lab opt-in: loopback names (127.0.0.0/8, ::1, *.localhost). Public CAs never issue for them;
   * Pebble on this machine does. Comes from the certificate's account ("This CA is on my private network
   * or this machine", lib/domain/network/account-network.ts).
   */
  allowLoopback?: boolean;
  /**
   * Lab opt-in: private (RFC 1918), carrier-grade NAT, unique-local IPv6, documentation and
   * benchmarking addresses. Public CAs refuse them; a private CA (step-ca) may issue them.
   */
  allowPrivate?: boolean;
}

/** The options a lab CA setup passes: loopback and private names allowed. */
export const LAB_NAME_OPTIONS: Readonly<Pick<NameParseOptions, "allowLoopback" | "allowPrivate">> = Object.freeze({ allowLoopback: true, allowPrivate: true });

/** What a refusal the lab opt-in would lift says about it. */
export const LAB_NAMES_HINT = 'a lab CA (Pebble, step-ca) may, for an account marked "This CA is on my private network or this machine"';

export const MAX_NAMES = 100;

/** Longest entry shown verbatim in an error message; longer ones are cut. */
const MAX_SHOWN_ENTRY = 80;
/** Per-entry errors listed before the rest are summarised in one line. */
const MAX_LISTED_ERRORS = MAX_NAMES;

const MAX_NAME_OCTETS = 253;
const MAX_LABEL_OCTETS = 63;

/** Methods that cannot validate wildcards (only DNS-01 can). */
const HTTP01_METHODS: ReadonlySet<string> = new Set(["http-01-app", "http-01-webroot", "http-01-standalone", "tls-alpn-01"]);

type NormalizeResult = { ok: true; identifier: Identifier } | { ok: false; error: string };

/** Split free-form input on newlines, commas and whitespace; trims and drops empties. */
export function splitNameInput(input: string): string[] {
  if (typeof input !== "string") return [];
  return input
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** `value (unicode)` when the identifier has a distinct Unicode form, else `value`. */
export function identifierLabel(id: Identifier): string {
  return id.unicode !== undefined && id.unicode !== id.value ? `${id.value} (${id.unicode})` : id.value;
}

/** Quote an entry for an error message: JSON string, cut to MAX_SHOWN_ENTRY code points. */
function quote(entry: string): string {
  const chars = Array.from(entry);
  const shown = chars.length > MAX_SHOWN_ENTRY ? chars.slice(0, MAX_SHOWN_ENTRY).join("") + "…" : entry;
  return JSON.stringify(shown);
}

function fail(raw: string, reason: string): { ok: false; error: string } {
  return { ok: false, error: `${quote(raw)}: ${reason}` };
}

function isWildcard(id: Identifier): boolean {
  return id.type === "dns" && id.value.startsWith("*.");
}

function wildcardHttpError(raw: string): string {
  return `${quote(raw)}: wildcard names need the DNS-01 challenge; HTTP-01 and TLS-ALPN-01 cannot validate them`;
}

function ipDnsError(raw: string): string {
  return `${quote(raw)}: IP addresses cannot be validated with DNS-01 (RFC 8738); choose HTTP-01 or TLS-ALPN-01`;
}

// Whitespace, C0/C1 controls, zero-width and bidi formatting characters.
const INVISIBLE_RE = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
const NON_ASCII_RE = /[^\x00-\x7f]/;
const DOTTED_NUMERIC_RE = /^[0-9]+(?:\.[0-9]+)*$/;
const IPV4_OCTET_RE = /^(?:0|[1-9][0-9]{0,2})$/;
const LDH_RE = /^[a-z0-9-]+$/;
// A last label that WHATWG URL parsing would read as an IPv4 part (decimal or 0x hex).
const NUMERIC_TLD_RE = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const HOST_PORT_RE = /^[^:]+:[0-9]*$/;

/** Check one dotted all-numeric entry as an IPv4 address. */
function parseIPv4(raw: string, s: string): NormalizeResult {
  const parts = s.split(".");
  if (parts.length !== 4) {
    return fail(raw, "not a valid IPv4 address (expected four numbers such as 192.0.2.1)");
  }
  if (parts.some((p) => p.length > 1 && p.startsWith("0") && /^[0-9]+$/.test(p))) {
    return fail(raw, "IPv4 address with leading zeros is ambiguous; write it without them");
  }
  if (!parts.every((p) => IPV4_OCTET_RE.test(p) && Number(p) <= 255) || isIP(s) !== 4) {
    return fail(raw, "not a valid IPv4 address (each number must be 0-255)");
  }
  return { ok: true, identifier: { type: "ip", value: s } };
}

function parseIPv6(raw: string, s: string): NormalizeResult {
  if (s.includes("%")) {
    return fail(raw, "IPv6 zone identifiers (%...) are not allowed in certificates");
  }
  if (isIP(s) !== 6) {
    return fail(raw, "not a valid IPv6 address");
  }
  const canonical = canonicalIPv6(s);
  if (isIP(canonical) !== 6) {
    return fail(raw, "not a valid IPv6 address");
  }
  return { ok: true, identifier: { type: "ip", value: canonical } };
}

/**
 * Validate an ASCII (LDH / punycode) host name, without a wildcard prefix.
 * Returns a reason string when invalid.
 */
function checkAsciiHost(host: string, prefixOctets: number): string | undefined {
  const labels = host.split(".");
  for (const label of labels) {
    if (label.length === 0) return "empty label";
    if (label.includes("*")) return '"*" is only allowed as the whole first label (e.g. *.example.com)';
    if (label.includes("_")) return "underscores are not allowed in host names";
    if (!LDH_RE.test(label)) {
      const bad = Array.from(label).find((c) => !/[a-z0-9-]/.test(c)) ?? label;
      return `contains invalid character ${JSON.stringify(bad)} (only letters, digits, hyphens and dots are allowed)`;
    }
    if (label.length > MAX_LABEL_OCTETS) {
      return `label ${quote(label)} is ${label.length} octets long; at most ${MAX_LABEL_OCTETS} allowed`;
    }
    if (label.startsWith("-")) return `label ${quote(label)} starts with a hyphen`;
    if (label.endsWith("-")) return `label ${quote(label)} ends with a hyphen`;
    if (label.length >= 4 && label.slice(2, 4) === "--" && !label.startsWith("xn--")) {
      return `label ${quote(label)} has "--" in the third and fourth positions, which is reserved for xn-- labels`;
    }
  }
  const octets = prefixOctets + host.length;
  if (octets > MAX_NAME_OCTETS) {
    return `name is ${octets} octets long; at most ${MAX_NAME_OCTETS} allowed`;
  }
  if (labels.length < 2) {
    return prefixOctets > 0
      ? 'the part after "*." must itself have at least two labels (e.g. *.example.com)'
      : "needs at least two labels (e.g. example.com); single-label names cannot get public certificates";
  }
  if (NUMERIC_TLD_RE.test(labels[labels.length - 1])) {
    return "the last label cannot be numeric";
  }
  return undefined;
}

/**
 * Normalise one entry (already split from the input) into an identifier:
 * lower-cased, one trailing dot dropped, IDN converted to punycode, IPv6
 * canonicalised, then checked against the name policy (special-purpose
 * addresses, loopback and private names without the lab opt-in, confusable
 * Unicode labels). Wildcards are accepted here; use parseNames with a
 * challengeMethod to refuse them for HTTP-01 (or pass options here).
 */
export function normalizeName(raw: string, options?: NameParseOptions): NormalizeResult {
  const result = normalizeSyntax(raw);
  if (!result.ok) return result;
  const shownRaw = raw.trim();
  if (options?.challengeMethod !== undefined && HTTP01_METHODS.has(options.challengeMethod) && isWildcard(result.identifier)) {
    return { ok: false, error: wildcardHttpError(shownRaw) };
  }
  const refused = namePolicyError(result.identifier, options);
  return refused === undefined ? result : fail(shownRaw, refused);
}

/**
 * Why an identifier may not be a certificate name (the reason, without the quoted entry), or
 * undefined. Always refused: the unspecified address, broadcast, multicast, link-local, cloud
 * metadata and reserved addresses, and IPv6 forms of IPv4 addresses (IPv4-mapped, NAT64: enter
 * the IPv4 address). Refused without the lab opt-in: loopback (allowLoopback) and private,
 * carrier-grade NAT, unique-local, documentation and benchmarking addresses (allowPrivate).
 * Always refused for DNS names: labels that mix scripts or can be mistaken for other names
 * (confusables.ts); *.localhost without allowLoopback.
 */
export function namePolicyError(identifier: Identifier, options: Pick<NameParseOptions, "allowLoopback" | "allowPrivate"> = {}): string | undefined {
  if (identifier.type === "ip") {
    const found = classifyAddress(identifier.value);
    if (!found) return "not a valid IP address";
    if (found.embedded && found.embedded.kind !== "6to4") {
      const kind = found.embedded.kind === "ipv4-mapped" ? "an IPv4-mapped IPv6 address" : "a NAT64 IPv6 address";
      return `${kind} (it stands for ${found.embedded.ipv4}); enter the IPv4 address ${found.embedded.ipv4} itself`;
    }
    if (isAllowedAddress(found, options)) return undefined;
    if (labOptInFor(found)) return `${found.address} is ${found.description}: public CAs do not issue certificates for it; ${LAB_NAMES_HINT}`;
    return `${found.address} is ${found.description}; it cannot be a certificate name`;
  }
  const host = identifier.value.startsWith("*.") ? identifier.value.slice(2) : identifier.value;
  if ((host === "localhost.localdomain" || host.endsWith(".localhost")) && !options.allowLoopback) {
    return `names under .localhost always mean this machine itself (RFC 6761): public CAs do not issue certificates for them; ${LAB_NAMES_HINT}`;
  }
  if (identifier.unicode !== undefined) {
    const unicodeHost = identifier.unicode.startsWith("*.") ? identifier.unicode.slice(2) : identifier.unicode;
    return checkUnicodeName(unicodeHost)?.reason;
  }
  return undefined;
}

/** Syntax only: one entry into a normalised identifier, or why it is not a name at all. */
function normalizeSyntax(raw: string): NormalizeResult {
  if (typeof raw !== "string") return { ok: false, error: "entry is not a string" };
  const trimmed = raw.trim();
  const shownRaw = trimmed.length > 0 ? trimmed : raw;
  if (trimmed.length === 0) return fail(shownRaw, "empty entry");

  if (INVISIBLE_RE.test(trimmed)) {
    return fail(shownRaw, "contains spaces or invisible/control characters");
  }
  if (trimmed.includes("://")) {
    return fail(shownRaw, "looks like a URL; enter just the host name (e.g. example.com)");
  }
  if (trimmed.includes("@")) {
    return fail(shownRaw, 'contains "@"; enter just the host name, not an email address');
  }
  if (trimmed.includes("/") || trimmed.includes("\\")) {
    return fail(shownRaw, "contains a path; enter just the host name (e.g. example.com)");
  }

  // [IPv6] literal.
  if (trimmed.startsWith("[") || trimmed.endsWith("]")) {
    const inner = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : "";
    if (!inner.includes(":")) {
      return fail(shownRaw, "brackets are only allowed around an IPv6 address (e.g. [2001:db8::1])");
    }
    return parseIPv6(shownRaw, inner);
  }

  if (trimmed.includes(":")) {
    if (isIP(trimmed) === 6 || trimmed.includes("%") || !HOST_PORT_RE.test(trimmed)) {
      return parseIPv6(shownRaw, trimmed);
    }
    return fail(shownRaw, "contains a port; enter just the host name (e.g. example.com)");
  }

  // Lower-case ASCII letters (non-ASCII is case-folded by domainToASCII) and
  // drop a single trailing dot.
  let s = trimmed.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  if (s.endsWith(".")) s = s.slice(0, -1);
  if (s.length === 0) return fail(shownRaw, "empty label");

  if (DOTTED_NUMERIC_RE.test(s)) return parseIPv4(shownRaw, s);

  // Wildcard: "*." only as the whole first label.
  let prefix = "";
  let host = s;
  if (s.startsWith("*.")) {
    prefix = "*.";
    host = s.slice(2);
    if (host.length === 0) return fail(shownRaw, "empty label");
  } else if (s.includes("*")) {
    return fail(shownRaw, '"*" is only allowed as the whole first label (e.g. *.example.com)');
  }
  if (host.includes("*")) {
    return fail(shownRaw, '"*" is only allowed once, as the whole first label (e.g. *.example.com)');
  }

  let ascii = host;
  if (NON_ASCII_RE.test(host)) {
    // Report obvious ASCII problems in the original form before IDNA mapping.
    if (host.includes("_")) return fail(shownRaw, "underscores are not allowed in host names");
    if (host.split(".").some((l) => l.length === 0)) return fail(shownRaw, "empty label");
    ascii = domainToASCII(host);
    if (ascii.length === 0) {
      return fail(shownRaw, "not a valid internationalised domain name");
    }
    if (ascii.endsWith(".")) ascii = ascii.slice(0, -1);
    if (DOTTED_NUMERIC_RE.test(ascii)) {
      return fail(shownRaw, "not a valid domain name (it maps to an IP address)");
    }
  }

  const reason = checkAsciiHost(ascii, prefix.length);
  if (reason !== undefined) return fail(shownRaw, reason);

  // Punycode labels must decode and re-encode to the same name.
  let unicodeHost: string | undefined;
  if (ascii.split(".").some((l) => l.startsWith("xn--"))) {
    const decoded = domainToUnicode(ascii);
    if (decoded.length === 0 || domainToASCII(decoded) !== ascii) {
      return fail(shownRaw, "contains an invalid punycode (xn--) label");
    }
    if (decoded !== ascii) unicodeHost = decoded;
  }

  const identifier: Identifier = { type: "dns", value: prefix + ascii };
  if (unicodeHost !== undefined) identifier.unicode = prefix + unicodeHost;
  return { ok: true, identifier };
}

/**
 * Parse a free-form list (string: split on newlines, commas and whitespace) or
 * an array of entries (each element one entry) into de-duplicated identifiers.
 * Every bad entry is reported, not just the first.
 */
export function parseNames(input: string | string[], options?: NameParseOptions): NameParseResult {
  const entries: string[] = [];
  const errors: string[] = [];

  if (typeof input === "string") {
    entries.push(...splitNameInput(input));
  } else if (Array.isArray(input)) {
    input.forEach((item: unknown, index) => {
      if (typeof item !== "string") {
        errors.push(`entry ${index + 1} is not a string`);
        return;
      }
      const t = item.trim();
      if (t.length > 0) entries.push(t);
    });
  } else {
    return { ok: false, errors: ["enter at least one name"] };
  }

  if (entries.length === 0 && errors.length === 0) {
    return { ok: false, errors: ["enter at least one name"] };
  }

  const wildcardsRefused = options?.challengeMethod !== undefined && HTTP01_METHODS.has(options.challengeMethod);
  const identifiers: Identifier[] = [];
  const seen = new Set<string>();
  const seenBad = new Set<string>();
  const entryErrors: string[] = [];

  for (const entry of entries) {
    const result = normalizeSyntax(entry);
    if (!result.ok) {
      const key = entry.toLowerCase();
      if (!seenBad.has(key)) {
        seenBad.add(key);
        entryErrors.push(result.error);
      }
      continue;
    }
    const id = result.identifier;
    const key = `${id.type}:${id.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (wildcardsRefused && isWildcard(id)) {
      entryErrors.push(wildcardHttpError(entry));
    }
    if (options?.challengeMethod === "dns-01" && id.type === "ip") {
      entryErrors.push(ipDnsError(entry));
    }
    const refused = namePolicyError(id, options);
    if (refused !== undefined) entryErrors.push(fail(entry, refused).error);
    identifiers.push(id);
  }

  const distinct = seen.size + seenBad.size;
  if (distinct > MAX_NAMES) {
    errors.push(`too many names: ${distinct} given, at most ${MAX_NAMES}`);
  }
  if (entryErrors.length > MAX_LISTED_ERRORS) {
    const rest = entryErrors.length - MAX_LISTED_ERRORS;
    errors.push(...entryErrors.slice(0, MAX_LISTED_ERRORS), `…and ${rest} more invalid ${rest === 1 ? "entry" : "entries"}`);
  } else {
    errors.push(...entryErrors);
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, identifiers };
}
