/**
 * The one way a stored secret (EAB HMAC key, TSIG secret, Cloudflare API token …) is shown on a
 * page: "••••ab12", the last four characters, enough to tell two secrets apart. A secret of 12
 * characters or fewer shows nothing at all ("••••"): four characters would be a third of it.
 */
export const SECRET_MASK = "••••";
const SHOWN_CHARACTERS = 4;
const SHORTEST_WITH_HINT = 13;

export function maskSecret(secret: string): string {
  return secret.length >= SHORTEST_WITH_HINT ? `${SECRET_MASK}${secret.slice(-SHOWN_CHARACTERS)}` : SECRET_MASK;
}
