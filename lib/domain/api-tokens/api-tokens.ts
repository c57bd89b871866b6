import "server-only";
import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { API_TOKEN_SCOPE_IDS, generateApiToken } from "@/lib/domain/api-tokens/api-token";
import { defineCommand } from "@/lib/domain/command/define-command";

/** The Settings → API tokens form. */
export const createApiTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the token after what uses it, e.g. "deploy script" or "prometheus"')
    .max(80, "At most 80 characters")
    .regex(/^[^\u0000-\u001f\u007f]*$/, "Use letters, digits, spaces and punctuation only"),
  scope: z.enum(API_TOKEN_SCOPE_IDS, { error: "Choose what the token may do" }),
});

/**
 * Stores a new token (its SHA-256 only) and returns the token itself, which exists nowhere else
 * afterwards: the page shows it once. Names are unique among active tokens, so the audit log's
 * "api:<name>" says which one acted. A token hands out access, so tokens cannot make tokens
 * ("secret": only a signed-in person).
 */
export const createApiToken = defineCommand(
  { name: "api-token.create", permission: "secret", does: "create API tokens", input: createApiTokenSchema },
  async ({ name, scope }, context) => {
    if (await db.apiToken.findFirst({ where: { name, revokedAt: null }, select: { id: true } })) {
      throw fieldError("name", `An active token is already named "${name}": choose another name, or revoke that one first`);
    }
    const { token, tokenHash, prefix } = generateApiToken();
    const row = await db.apiToken.create({ data: { name, scope, createdBy: context.actor.name, tokenHash, prefix }, select: { id: true } });
    // The prefix identifies the token in the log; the token itself is never logged.
    await context.audit({ target: name, detail: { scope, prefix } });
    return { id: row.id, name, scope, token, prefix };
  },
);

/** Revokes an active token: scripts and scrapers using it get 401 from their next request on. */
export const revokeApiToken = defineCommand(
  { name: "api-token.revoke", permission: "write", does: "revoke API tokens", input: z.object({ id: idSchema }) },
  async ({ id }, context) => {
    const token = await db.apiToken.findUnique({ where: { id }, select: { name: true, prefix: true } });
    if (!token) throw new AppError("not_found", "That token does not exist.");
    const { count } = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count !== 1) throw new AppError("conflict", "That token was already revoked.");
    await context.audit({ target: token.name, detail: { prefix: token.prefix } });
  },
);

/** For the settings page: active tokens first (newest first), then revoked ones. Never the hash. */
export async function listApiTokens() {
  const tokens = await db.apiToken.findMany({
    orderBy: [{ createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, scope: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return [...tokens.filter((token) => !token.revokedAt), ...tokens.filter((token) => token.revokedAt)];
}
export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];
