import "server-only";
import { z } from "zod";
import { db } from "@/lib/data/client";
import { API_TOKEN_SCOPE_IDS, generateApiToken, type ApiTokenScope } from "@/lib/domain/api-tokens/api-token";

/** The Settings → API tokens form. */
export const createApiTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the token after what uses it, e.g. \"deploy script\" or \"prometheus\"")
    .max(80, "At most 80 characters")
    .regex(/^[^\u0000-\u001f\u007f]*$/, "Use letters, digits, spaces and punctuation only"),
  scope: z.enum(API_TOKEN_SCOPE_IDS, { error: "Choose what the token may do" }),
});

export const apiTokenIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/i);

/**
 * Stores a new token (its SHA-256 only) and returns the token itself, which exists nowhere else
 * afterwards: the page shows it once. Names are unique among active tokens, so the audit log's
 * "api:<name>" says which one acted.
 */
export async function createApiToken(input: { name: string; scope: ApiTokenScope; createdBy: string }): Promise<
  { ok: true; id: string; token: string; prefix: string } | { ok: false; fieldErrors: { name: string[] } }
> {
  if (await db.apiToken.findFirst({ where: { name: input.name, revokedAt: null }, select: { id: true } })) {
    return { ok: false, fieldErrors: { name: [`An active token is already named "${input.name}": choose another name, or revoke that one first`] } };
  }
  const { token, tokenHash, prefix } = generateApiToken();
  const row = await db.apiToken.create({ data: { name: input.name, scope: input.scope, createdBy: input.createdBy, tokenHash, prefix }, select: { id: true } });
  return { ok: true, id: row.id, token, prefix };
}

/** Revokes a token; true when it was active (false: unknown or already revoked). */
export async function revokeApiToken(id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/** For the settings page: active tokens first (newest first), then revoked ones. Never the hash. */
export async function listApiTokens() {
  const tokens = await db.apiToken.findMany({
    orderBy: [{ createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, scope: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return [...tokens.filter((token) => !token.revokedAt), ...tokens.filter((token) => token.revokedAt)];
}
export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];
