/** The statuses in which the endpoint completed no TLS handshake: nothing was served. */
export const TLS_NO_ANSWER_STATUSES = ["dns-failed", "refused", "unreachable", "timeout", "not-tls", "handshake-failed"] as const;

/**
 * What a TLS endpoint check found, as one word for lists and filters and a sentence for the
 * sysadmin. "ok" is the only good one; the others are ordered roughly from "nothing there" to
 * "something there, but wrong".
 */
export const TLS_ENDPOINT_STATUSES = [
  "ok",
  ...TLS_NO_ANSWER_STATUSES,
  "expired",
  "not-yet-valid",
  "wrong-name",
  "self-signed",
  "untrusted",
  "incomplete-chain",
] as const;
export type TlsEndpointStatus = (typeof TLS_ENDPOINT_STATUSES)[number];

/** One problem, in plain words: what is wrong and, where it helps, what to do. */
export interface TlsFinding {
  status: Exclude<TlsEndpointStatus, "ok">;
  message: string;
}
