import { createHash, randomBytes } from "node:crypto";
import { keysOf } from "@/lib/core/keys-of";

/**
 * REST API and /metrics bearer tokens: "cdk_" and 32 random bytes in base64url (256 bits, so
 * guessing over HTTP is hopeless and needs no throttling). Only the SHA-256 (hex) is stored; the
 * token itself is shown once, when it is created. Pure logic: Node built-ins only.
 */
export const API_TOKEN_PREFIX = "cdk_";
/** What follows the prefix: 32 bytes in base64url, unpadded. */
const TOKEN_BODY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** How much of the token the list shows to recognise it: the prefix ("cdk_") and 8 characters. */
const SHOWN_CHARACTERS_AFTER_PREFIX = 8;

export const API_TOKEN_SCOPES = {
  read: "Read-only",
  write: "Read-write",
} as const;
export type ApiTokenScope = keyof typeof API_TOKEN_SCOPES;
export const API_TOKEN_SCOPE_IDS = keysOf(API_TOKEN_SCOPES);

/**
 * A new token. `prefix` names its kind: "cdk_" for the REST API and /metrics, other prefixes for
 * other bearer tokens with the same shape (pull agents use "cdp_").
 */
export function generateApiToken(prefix: string = API_TOKEN_PREFIX): { token: string; tokenHash: string; prefix: string } {
  const token = prefix + randomBytes(32).toString("base64url");
  return { token, tokenHash: hashApiToken(token), prefix: token.slice(0, prefix.length + SHOWN_CHARACTERS_AFTER_PREFIX) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Whether `text` has the shape of a CertDeck token of that kind (checked before any database lookup). */
export function isWellFormedApiToken(text: string, prefix: string = API_TOKEN_PREFIX): boolean {
  return text.startsWith(prefix) && TOKEN_BODY_PATTERN.test(text.slice(prefix.length));
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750: the scheme is
 * case-insensitive), or null when the header is missing or uses another scheme.
 */
export function bearerTokenOf(authorization: string | null): string | null {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? "");
  return match ? match[1] : null;
}

/** Which scope a request needs: reading (GET, HEAD) or changing anything else. */
export function scopeNeededFor(method: string): ApiTokenScope {
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

export function isScopeAllowed(tokenScope: string, needed: ApiTokenScope): boolean {
  return tokenScope === "write" || (tokenScope === "read" && needed === "read");
}
