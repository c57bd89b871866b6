import { isIP } from "node:net";
import { AppError } from "@/lib/core/app-error";

/**
 * The one place where what went wrong with a CA becomes a reason code, a plain sentence and a
 * fix: ACME problem documents (RFC 8555 section 6.7, with subproblems and validation records)
 * and failures to reach the CA at all. Pure: unit-tested on recorded documents.
 */

/** An RFC 8555 problem document as found on a challenge, authorization or order, or an error response. */
export interface AcmeProblem {
  type?: string;
  detail?: string;
  status?: number;
  identifier?: { type: string; value: string };
  subproblems?: AcmeProblem[];
}

export interface ValidationRecord {
  url?: string;
  hostname?: string;
  port?: string;
  addressesResolved?: string[];
  addressUsed?: string;
}

/**
 * What CertDeck knows about where the CA should have connected, for when the CA does not say
 * (Pebble and some private CAs send no validationRecord): the addresses the job's pre-flight
 * check found for the name, and the port the CA validates on (80 and 443 unless configured
 * otherwise, e.g. a lab CA or a port mapping).
 */
export interface ChallengeFailureContext {
  /** The addresses the pre-flight check resolved the name to (for an IP identifier: itself). */
  preflightAddresses?: string[];
  /** The port the CA connects to for this challenge type. */
  validationPort?: number;
}

export type FailureReasonCode =
  | "dns"
  | "connection"
  | "wrong-response"
  | "tls"
  | "caa"
  | "rate-limited"
  | "rejected-identifier"
  | "malformed"
  | "invalid-profile"
  | "already-replaced"
  | "bad-nonce"
  | "ca-internal"
  | "unauthorized-account"
  | "ca-unreachable"
  | "rate-limit-guard"
  | "unknown";

interface ReasonAdvice {
  code: FailureReasonCode;
  /** "…failed because <reason>" */
  reason: string;
  fix: string;
  isRetryable: boolean;
}

const PREFIX = "urn:ietf:params:acme:error:";

const WRONG_RESPONSE: Omit<ReasonAdvice, "code"> = {
  reason: "the CA reached a web server that did not return the expected answer at the challenge URL",
  fix: "Make sure requests for /.well-known/acme-challenge/ on port {port} reach CertDeck (the nginx location block on the Add form) and that DNS points at this server.",
  isRetryable: false,
};

/** `unauthorized` and `incorrectResponse` both mean the CA did not get the expected answer: one advice for both. */
function wrongResponse(advice: Omit<ReasonAdvice, "code">): Record<"unauthorized" | "incorrectResponse", ReasonAdvice> {
  const wrong: ReasonAdvice = { code: "wrong-response", ...advice };
  return { unauthorized: wrong, incorrectResponse: wrong };
}

/**
 * ACME problem types ("urn:ietf:params:acme:error:<type>"; RFC 8555 section 6.7, plus
 * `alreadyReplaced` from RFC 9773 (ARI) and `invalidProfile` from the ACME profiles draft) and
 * what to tell the operator.
 */
const ADVICE_BY_TYPE: Record<string, ReasonAdvice> = {
  dns: {
    code: "dns",
    reason: "the CA could not look the name up in DNS (no such name, SERVFAIL, a timeout or broken DNSSEC at its nameservers)",
    fix: "Check that the name exists in public DNS and that its nameservers answer (dig +trace <name>).",
    isRetryable: false,
  },
  connection: {
    code: "connection",
    reason: "the CA could not connect to the server",
    fix: "Check that the name's A/AAAA records point at this server and that port {port} is open to the internet (firewall, security group).",
    isRetryable: false,
  },
  ...wrongResponse(WRONG_RESPONSE),
  tls: {
    code: "tls",
    reason: "a TLS error happened during validation (tls-alpn-01, or an HTTP-to-HTTPS redirect to a broken certificate)",
    fix: "Check the redirect from port 80 and the certificate served on port 443.",
    isRetryable: false,
  },
  caa: {
    code: "caa",
    reason: "a CAA record in DNS does not allow this CA to issue for the name",
    fix: 'Add a CAA record that allows this CA (for Let\'s Encrypt: 0 issue "letsencrypt.org"), or remove the restrictive one.',
    isRetryable: false,
  },
  rateLimited: {
    code: "rate-limited",
    reason: "the CA's rate limit was reached",
    fix: 'CertDeck retries after the time the CA gives. Test new configurations with "Test renewal" (staging) instead of real orders.',
    isRetryable: true,
  },
  rejectedIdentifier: {
    code: "rejected-identifier",
    reason: "the CA refuses to issue for this name by policy (a blocked name, an IP address without the shortlived profile, or a name it does not serve)",
    fix: "Remove the name from the certificate, or use another CA.",
    isRetryable: false,
  },
  malformed: {
    code: "malformed",
    reason: "the CA found the request malformed",
    fix: "Check the names; if they look right, this may be a CertDeck bug worth reporting with the raw problem from the job log.",
    isRetryable: false,
  },
  invalidProfile: {
    code: "invalid-profile",
    reason: "the CA does not offer the requested profile for these names",
    fix: "Choose another profile, or none.",
    isRetryable: false,
  },
  alreadyReplaced: {
    code: "already-replaced",
    reason: "the certificate this order replaces was already replaced",
    fix: "Nothing to do: CertDeck orders again without linking the old certificate.",
    isRetryable: true,
  },
  badNonce: { code: "bad-nonce", reason: "the CA rejected a nonce", fix: "Nothing to do: CertDeck retries.", isRetryable: true },
  serverInternal: {
    code: "ca-internal",
    reason: "the CA had an internal error",
    fix: "Nothing to do: CertDeck retries later. The CA's status page may say more.",
    isRetryable: true,
  },
  externalAccountRequired: {
    code: "unauthorized-account",
    reason: "the CA accepts new accounts only with External Account Binding",
    fix: "Register the account again with the EAB key ID and HMAC key from the CA's dashboard.",
    isRetryable: false,
  },
  unauthorizedAccount: {
    code: "unauthorized-account",
    reason: "the CA does not accept this ACME account (deactivated, or the key no longer matches)",
    fix: "Register the account again on the Accounts page.",
    isRetryable: false,
  },
};

const SECONDARY_VALIDATION = /^During secondary validation: /i;

export function problemShortType(problem?: AcmeProblem): string | undefined {
  return problem?.type?.startsWith(PREFIX) ? problem.type.slice(PREFIX.length) : problem?.type;
}

/** The same problem types mean something else for TLS-ALPN-01: the CA connects to port 443 for TLS. */
const TLS_ALPN_WRONG_RESPONSE: Omit<ReasonAdvice, "code"> = {
  reason: "the CA did not get CertDeck's TLS-ALPN-01 answer on port {port} (it could not connect, or another program or a TLS-terminating proxy answered)",
  fix: "Make sure port {port} of this address is open to the internet and reaches CertDeck while the CA validates: no other program on port {port} and no load balancer that terminates TLS in front. Or use HTTP-01 or DNS-01 for this certificate.",
  isRetryable: false,
};
/** For DNS-01 the CA reads a TXT record: a wrong answer is a missing or stale record, not a web server. */
const DNS01_WRONG_RESPONSE: Omit<ReasonAdvice, "code"> = {
  reason: "the CA did not find the expected TXT record at _acme-challenge.<name> (missing, an old value, or not yet at every nameserver)",
  fix: "Check the record with dig TXT _acme-challenge.<name> @<each authoritative nameserver>. A _acme-challenge CNAME must point into a zone your DNS provider can update; raise the provider's propagation timeout if its secondaries are slow.",
  isRetryable: false,
};
const ADVICE_BY_CHALLENGE: Partial<Record<string, Record<string, ReasonAdvice>>> = {
  "dns-01": {
    ...wrongResponse(DNS01_WRONG_RESPONSE),
    dns: {
      code: "dns",
      reason: "the CA could not look up the _acme-challenge TXT record (no such name, SERVFAIL, a timeout or broken DNSSEC at the zone's nameservers)",
      fix: "Check that the zone's nameservers answer for _acme-challenge.<name> (dig +trace TXT _acme-challenge.<name>) and that DNSSEC is valid.",
      isRetryable: false,
    },
  },
  "tls-alpn-01": {
    ...wrongResponse(TLS_ALPN_WRONG_RESPONSE),
    connection: {
      code: "connection",
      reason: "the CA could not connect to port {port}",
      fix: "Open port {port} to the internet (firewall, security group) and check that the name's A/AAAA records, or the IP address itself, point at this server.",
      isRetryable: false,
    },
    tls: {
      code: "tls",
      reason: "the TLS handshake on port {port} failed during validation",
      fix: "Make sure nothing but CertDeck answers TLS on port {port} while the CA validates (a proxy that terminates TLS breaks TLS-ALPN-01).",
      isRetryable: false,
    },
  },
};

/** The port the CA validates on by default: 443 for TLS-ALPN-01 (RFC 8737), 80 for HTTP-01. */
function defaultPort(challengeType?: string): number {
  return challengeType === "tls-alpn-01" ? 443 : 80;
}

function adviceFor(problem: AcmeProblem | undefined, challengeType?: string, port = defaultPort(challengeType)): ReasonAdvice | undefined {
  const type = problemShortType(problem);
  if (!type) return undefined;
  const advice = (challengeType ? ADVICE_BY_CHALLENGE[challengeType]?.[type] : undefined) ?? ADVICE_BY_TYPE[type];
  if (!advice) return undefined;
  const withPort = (text: string) => text.replaceAll("{port}", String(port));
  return { ...advice, reason: withPort(advice.reason), fix: withPort(advice.fix) };
}

/** "203.0.113.9", "203.0.113.9 and 2001:db8::7", "a, b and c". */
function listAddresses(addresses: string[]): string {
  return addresses.length <= 1 ? (addresses[0] ?? "") : `${addresses.slice(0, -1).join(", ")} and ${addresses.at(-1)}`;
}

/**
 * Where the CA should have connected, from CertDeck's own knowledge, when the CA's validation
 * record says nothing: " The CA did not say which address it tried; the pre-flight check found
 * shop.example.com at 203.0.113.9 and 2001:db8::7, and the CA connects on port 80."
 */
function describePreflightWhere(identifier: string, challengeType: string | undefined, context: ChallengeFailureContext): string {
  if (challengeType === "dns-01") return "";
  const name = identifier.replace(/^\*\./, "");
  const addresses = context.preflightAddresses?.length ? context.preflightAddresses : isIP(name) ? [name] : [];
  const port = context.validationPort ?? defaultPort(challengeType);
  if (addresses.length === 0) {
    return context.validationPort === undefined ? "" : ` The CA did not say which address it tried; it connects on port ${port}.`;
  }
  const found =
    isIP(name) && addresses.length === 1 && addresses[0] === name
      ? `the CA connects to ${name}`
      : `the pre-flight check found ${name} at ${listAddresses(addresses)}, and the CA connects`;
  return ` The CA did not say which address it tried; ${found} on port ${port}.`;
}

/** "The CA resolved shop.example.com to 203.0.113.9, 2001:db8::7 and tried 2001:db8::7 port 80." */
export function describeValidationRecord(identifier: string, records: ValidationRecord[] = []): string {
  const record = records.find((entry) => entry.addressUsed) ?? records[0];
  if (!record?.addressUsed) return "";
  const resolved = record.addressesResolved?.length ? record.addressesResolved.join(", ") : record.addressUsed;
  const redirects =
    records.length > 1 ? ` after following ${records.length - 1} redirect${records.length > 2 ? "s" : ""} (last URL: ${records.at(-1)?.url})` : "";
  const url = record.url ? ` for ${record.url}` : "";
  return ` The CA resolved ${record.hostname ?? identifier} to ${resolved} and tried ${record.addressUsed}${record.port ? ` port ${record.port}` : ""}${url}${redirects}.`;
}

/**
 * A failed challenge (or authorization) explained: the reason, which address the CA tried, what
 * it said, and the fix. Validation failures seen only from the CA's secondary vantage points get
 * their own explanation.
 */
export function describeChallengeFailure(
  identifier: string,
  problem: AcmeProblem | undefined,
  validationRecord: ValidationRecord[] = [],
  challengeType?: string,
  context: ChallengeFailureContext = {},
): AppError {
  const recordedPort = Number(validationRecord.find((entry) => entry.addressUsed)?.port ?? validationRecord[0]?.port);
  const port = context.validationPort ?? (Number.isInteger(recordedPort) && recordedPort > 0 ? recordedPort : defaultPort(challengeType));
  const advice = adviceFor(problem, challengeType, port);
  const detail = problem?.detail ?? "";
  const where = describeValidationRecord(identifier, validationRecord) || describePreflightWhere(identifier, challengeType, context);
  const said = detail ? ` The CA said: "${detail}".` : "";
  if (SECONDARY_VALIDATION.test(detail)) {
    return new AppError(
      "challenge_failed",
      `${identifier}: validation passed from the CA's main vantage point but failed from its secondary ones (multi-perspective validation).${where}${said} Usual causes: a firewall or geo-blocking that lets only some countries in, a stale AAAA record, or a DNS change that has not reached every nameserver yet. ${advice?.fix ?? ""}`.trim(),
      { reason: advice?.code ?? "unknown", isRetryable: false },
    );
  }
  const message = advice
    ? `${identifier}: validation failed because ${advice.reason}.${where}${said} ${advice.fix}`
    : `${identifier}: validation failed.${where}${said}`;
  return new AppError("challenge_failed", message, { reason: advice?.code ?? "unknown", isRetryable: advice?.isRetryable ?? false });
}

/**
 * A problem answered to a request (newOrder, finalize, newAccount …), with its subproblems per
 * identifier. `retryAfterSeconds` comes from the response's Retry-After header.
 */
export function describeProblem(problem: AcmeProblem, retryAfterSeconds: number | null = null): AppError {
  const advice = adviceFor(problem);
  const sub = (problem.subproblems ?? [])
    .map((subproblem) => {
      const subAdvice = adviceFor(subproblem);
      const name = subproblem.identifier?.value ?? "one of the names";
      return `${name}: ${subproblem.detail ?? subAdvice?.reason ?? "refused"}${subAdvice ? ` (${subAdvice.fix})` : ""}`;
    })
    .join(" ");
  const said = problem.detail ? ` The CA said: "${problem.detail}".` : "";
  const retry = retryAfterSeconds !== null && advice?.isRetryable ? ` It asks to wait ${formatSeconds(retryAfterSeconds)}.` : "";
  const message = advice
    ? `The CA refused the request because ${advice.reason}.${said}${sub ? ` ${sub}` : ""}${retry} ${advice.fix}`
    : `The CA refused the request.${said}${sub ? ` ${sub}` : ""}`;
  return new AppError("acme_problem", message, {
    reason: advice?.code ?? "unknown",
    isRetryable: advice?.isRetryable ?? (problem.status !== undefined && problem.status >= 500),
    retryAfterSeconds: retryAfterSeconds ?? undefined,
  });
}

/**
 * acme-client reports a CA's refusal as a plain Error carrying only the detail text, and a
 * network failure as an axios error with a code. With the problem document the client captured
 * (lib/protocol/acme/client.ts) this becomes a full reason; without it, the best sentence we can make.
 */
export function toAcmeAppError(error: unknown, caHost: string, lastProblem?: { problem: AcmeProblem; retryAfterSeconds: number | null } | null): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (lastProblem && (!lastProblem.problem.detail || message.includes(lastProblem.problem.detail))) {
    return describeProblem(lastProblem.problem, lastProblem.retryAfterSeconds);
  }
  const code = (error as { code?: string }).code;
  if (code && /^E[A-Z_]+$/.test(code)) {
    return new AppError("acme_unreachable", `The connection to the CA at ${caHost} failed (${code}). CertDeck retries shortly.`, {
      cause: error,
      reason: "ca-unreachable",
      isRetryable: true,
    });
  }
  return new AppError("acme_problem", `The CA refused the request: ${message}`, { cause: error, reason: "unknown" });
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}
