import "server-only";
import { db } from "@/lib/data/client";
import { bearerTokenOf, hashApiToken, isWellFormedApiToken, type ApiTokenScope } from "@/lib/domain/api-tokens/api-token";

/** The token a request carried, once checked. */
export interface CheckedApiToken {
  id: string;
  name: string;
  scope: ApiTokenScope;
}

/**
 * lastUsedAt is refreshed at most once a minute, so a busy script does not write on every call:
 * the lookup reads it, and only a stale one is written (a request then costs one query, not two).
 */
const LAST_USED_RESOLUTION_MS = 60_000;

export type TokenCheck = { ok: true; token: CheckedApiToken } | { ok: false; reason: "missing" | "invalid" };

/**
 * Checks the request's bearer token: it must exist and not be revoked. Only the token's SHA-256
 * is looked up, so a timing difference reveals nothing about stored tokens.
 */
export async function checkApiToken(request: Request, now = new Date()): Promise<TokenCheck> {
  const token = bearerTokenOf(request.headers.get("authorization"));
  if (token === null) return { ok: false, reason: "missing" };
  if (!isWellFormedApiToken(token)) return { ok: false, reason: "invalid" };
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, name: true, scope: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt || (row.scope !== "read" && row.scope !== "write")) return { ok: false, reason: "invalid" };
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < staleBefore) {
    // Conditional, so concurrent requests write it once.
    await db.apiToken.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  return { ok: true, token: { id: row.id, name: row.name, scope: row.scope } };
}
