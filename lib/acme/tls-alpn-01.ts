import type { ChallengeResponder } from "@/lib/acme/challenge-responder";
import { AppError } from "@/lib/errors";

/** TLS-ALPN-01 (RFC 8737): a TLS listener that answers the acme-tls/1 protocol. (Being written.) */
export async function openTlsAlpnResponder(port: number): Promise<ChallengeResponder> {
  throw new AppError("invalid_input", `TLS-ALPN-01 on port ${port} is not available yet.`);
}
