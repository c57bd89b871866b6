"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { apiTokenIdSchema, createApiToken, createApiTokenSchema, revokeApiToken } from "@/lib/domain/api-tokens/api-tokens";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { getSetting, setSetting } from "@/lib/data/settings";
import { parseAddressList } from "@/lib/protocol/net/address-list";
import type { FormState } from "@/lib/web/form-state";

const PAGE = "/settings/api-tokens";

export type CreateTokenState = FormState & {
  /** The new token, in this one answer only: the database keeps its SHA-256. */
  created?: { name: string; token: string; scope: string };
};

export async function createApiTokenAction(_previous: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const user = await requireUser();
  const values = { name: String(formData.get("name") ?? ""), scope: String(formData.get("scope") ?? "") };
  const parsed = createApiTokenSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const result = await createApiToken({ ...parsed.data, createdBy: user.username });
  if (!result.ok) return { fieldErrors: result.fieldErrors, values };
  // The prefix identifies the token in the log; the token itself is never logged.
  await recordAuditEvent({ actor: user.username, action: "api-token.create", target: parsed.data.name, detail: { scope: parsed.data.scope, prefix: result.prefix }, ip: await requestAddress() });
  revalidatePath(PAGE);
  return { created: { name: parsed.data.name, token: result.token, scope: parsed.data.scope } };
}

export async function revokeApiTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const id = apiTokenIdSchema.safeParse(formData.get("tokenId"));
  if (!id.success) return { formError: "That token does not exist." };
  const token = await db.apiToken.findUnique({ where: { id: id.data }, select: { name: true, prefix: true } });
  if (!token) return { formError: "That token does not exist." };
  const isRevoked = await revokeApiToken(id.data);
  revalidatePath(PAGE);
  if (!isRevoked) return { formError: "That token was already revoked." };
  await recordAuditEvent({ actor: user.username, action: "api-token.revoke", target: token.name, detail: { prefix: token.prefix }, ip: await requestAddress() });
  return {};
}

const metricsAccessSchema = z.object({
  metricsAllowFrom: z
    .string()
    .trim()
    .max(2000, "At most 2000 characters")
    .superRefine((text, context) => {
      const parsed = parseAddressList(text);
      if (!parsed.ok) for (const message of parsed.errors) context.addIssue({ code: "custom", message });
    })
    .transform((text) => {
      const parsed = parseAddressList(text);
      return parsed.ok ? parsed.entries.join(", ") : text;
    }),
});

/** Who may read /metrics without a token. */
export async function saveMetricsAccessAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const user = await requireUser();
  const values = { metricsAllowFrom: String(formData.get("metricsAllowFrom") ?? "") };
  const parsed = metricsAccessSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const previous = await getSetting("metricsAllowFrom");
  await setSetting("metricsAllowFrom", parsed.data.metricsAllowFrom);
  if (previous !== parsed.data.metricsAllowFrom) {
    await recordAuditEvent({
      actor: user.username,
      action: "settings.change",
      target: "Metrics access",
      detail: { metricsAllowFrom: parsed.data.metricsAllowFrom || "(token only)" },
      ip: await requestAddress(),
    });
  }
  revalidatePath(PAGE);
  return { savedAt: Date.now(), values: parsed.data };
}
