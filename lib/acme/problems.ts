import { AppError } from "@/lib/errors";

/** An RFC 8555 problem document as found on a challenge, authorization or order. */
export interface AcmeProblem {
  type?: string;
  detail?: string;
  status?: number;
  subproblems?: AcmeProblem[];
}

export interface ValidationRecord {
  url?: string;
  hostname?: string;
  port?: string;
  addressesResolved?: string[];
  addressUsed?: string;
}

const PREFIX = "urn:ietf:params:acme:error:";

/** What usually causes each problem type, and what to do: the one place this mapping lives. */
const PROBLEM_ADVICE: Record<string, { reason: string; fix: string; isRetryable?: boolean }> = {
  dns: {
    reason: "the CA could not look up the name in DNS (NXDOMAIN, SERVFAIL or a timeout at its nameservers)",
    fix: "Check that the name exists in public DNS and that its nameservers answer.",
  },
  connection: {
    reason: "the CA could not connect to the server",
    fix: "Check that the A/AAAA records point at this server and that port 80 is open to the internet.",
  },
  unauthorized: {
    reason: "the CA connected but got the wrong answer at the challenge URL",
    fix: "Make sure requests for /.well-known/acme-challenge/ reach CertDeck (see the nginx snippet) and that DNS points at this server.",
  },
  incorrectResponse: {
    reason: "the CA connected but got the wrong answer at the challenge URL",
    fix: "Make sure requests for /.well-known/acme-challenge/ reach CertDeck (see the nginx snippet) and that DNS points at this server.",
  },
  tls: { reason: "a TLS error occurred during validation", fix: "Check the server's TLS setup and any HTTP-to-HTTPS redirect." },
  caa: {
    reason: "a CAA record forbids this CA from issuing for the name",
    fix: "Add a CAA record that allows this CA, or remove the restrictive one.",
  },
  rateLimited: {
    reason: "the CA's rate limit was reached",
    fix: "Wait until the limit resets; test new setups against the staging directory.",
    isRetryable: true,
  },
  rejectedIdentifier: { reason: "the CA refuses to issue for this name by policy", fix: "Remove the name or use another CA." },
  malformed: { reason: "the CA found the request malformed", fix: "Check the names; this may be a CertDeck bug worth reporting." },
  serverInternal: { reason: "the CA had an internal error", fix: "Try again later.", isRetryable: true },
  badNonce: { reason: "the CA rejected a nonce", fix: "Try again.", isRetryable: true },
};

export function problemShortType(problem?: AcmeProblem): string | undefined {
  return problem?.type?.startsWith(PREFIX) ? problem.type.slice(PREFIX.length) : problem?.type;
}

/** Turns a failed challenge into a sentence a sysadmin understands, naming the address the CA tried. */
export function describeChallengeFailure(
  identifier: string,
  problem: AcmeProblem | undefined,
  validationRecord: ValidationRecord[] = [],
): AppError {
  const type = problemShortType(problem);
  const advice = type ? PROBLEM_ADVICE[type] : undefined;
  const record = validationRecord.find((entry) => entry.addressUsed) ?? validationRecord[0];
  const where = record?.addressUsed
    ? ` The CA resolved ${record.hostname ?? identifier} to ${(record.addressesResolved ?? [record.addressUsed]).join(", ")} and tried ${record.addressUsed}${record.port ? ` port ${record.port}` : ""}.`
    : "";
  const detail = problem?.detail ? ` The CA said: "${problem.detail}".` : "";
  const message = advice
    ? `${identifier}: validation failed because ${advice.reason}.${where}${detail} ${advice.fix}`
    : `${identifier}: validation failed.${where}${detail}`;
  return new AppError("challenge_failed", message, { isRetryable: advice?.isRetryable ?? false });
}

/**
 * acme-client reports a CA's refusal as a plain Error carrying the problem's detail text, and a
 * network failure as an axios error with a code. Both become an AppError here, so the operator
 * reads what the CA said instead of "unexpected error".
 */
export function toAcmeAppError(error: unknown, caHost: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  if (code && /^E[A-Z_]+$/.test(code)) {
    return new AppError("acme_unreachable", `The connection to the CA at ${caHost} failed (${code}).`, { cause: error, isRetryable: true });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("acme_problem", `The CA refused the request: ${message}`, { cause: error });
}
