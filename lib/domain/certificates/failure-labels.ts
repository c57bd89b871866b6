/** Short labels for failure reason codes (lib/protocol/acme/problems.ts), shown before the sentence. */
export const FAILURE_LABELS: Record<string, string> = {
  dns: "DNS lookup failed",
  connection: "CA could not connect",
  "wrong-response": "Wrong answer at challenge URL",
  tls: "TLS error",
  caa: "CAA forbids this CA",
  "rate-limited": "CA rate limit",
  "rejected-identifier": "Name refused by CA",
  malformed: "Malformed request",
  "invalid-profile": "Profile not offered",
  "already-replaced": "Already replaced",
  "bad-nonce": "Bad nonce",
  "ca-internal": "CA internal error",
  "unauthorized-account": "Account not accepted",
  "ca-unreachable": "CA unreachable",
  "rate-limit-guard": "Held back by rate-limit guard",
  "port-in-use": "Port in use",
  preflight: "Pre-flight check failed",
};

export function failureLabel(code: string | null | undefined): string | null {
  return code ? (FAILURE_LABELS[code] ?? null) : null;
}
