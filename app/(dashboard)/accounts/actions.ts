"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createAccount } from "@/lib/domain/accounts/create-account";
import { readDirectoryFacts, type DirectoryFacts } from "@/lib/domain/accounts/directory-facts";
import { retryRegistration } from "@/lib/domain/accounts/retry-registration";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { directoryLookupSchema } from "@/lib/domain/accounts/account.validation";
import type { FormState } from "@/lib/web/form-state";

/**
 * Reads the directory's metadata (terms of service link, EAB requirement, profiles) so the form
 * can show the terms before the user agrees. One bounded GET; the registration itself runs as a job.
 */
export async function lookUpDirectoryAction(input: {
  directoryUrl: string;
  caBundlePem?: string;
}): Promise<{ ok: true; info: DirectoryFacts } | { ok: false; error: string }> {
  await requireUser();
  const parsed = directoryLookupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: z.flattenError(parsed.error).fieldErrors.directoryUrl?.[0] ?? "Check the URL and the CA bundle." };
  const result = await readDirectoryFacts({ directoryUrl: parsed.data.directoryUrl, caBundlePem: parsed.data.caBundlePem ?? null }, 10_000);
  return result.ok ? { ok: true, info: result.facts } : { ok: false, error: result.reason };
}

export async function createAccountAction(_previous: FormState, formData: FormData): Promise<FormState & { createdAt?: number }> {
  const user = await requireUser();
  const values = Object.fromEntries(
    [...formData].filter(([key]) => !key.startsWith("$") && key !== "eabHmacKey").map(([key, value]) => [key, String(value)]),
  );
  const result = await createAccount(Object.fromEntries([...formData].map(([key, value]) => [key, String(value)])));
  if (!result.ok) return { ...result, values };
  const account = await db.acmeAccount.findUnique({ where: { id: result.accountId }, select: { label: true, directoryUrl: true } });
  await recordAuditEvent({
    actor: user.username,
    action: "account.add",
    target: account?.label ?? result.accountId,
    detail: account ? { directory: account.directoryUrl } : undefined,
    ip: await requestAddress(),
  });
  revalidatePath("/accounts");
  return { createdAt: Date.now() };
}

const rateLimitsSchema = z.object({
  accountId: z.string().min(1).max(64).regex(/^[a-z0-9]+$/i),
  ordersPer3HoursLimit: z.coerce.number({ error: "Enter a number" }).int("Enter a whole number").min(1, "At least 1").max(100_000),
  failedValidationsPerHourLimit: z.coerce.number({ error: "Enter a number" }).int("Enter a whole number").min(1, "At least 1").max(10_000),
});

/** The rate-limit guard's limits for one account (defaults: Let's Encrypt's numbers). */
export async function saveRateLimitsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const user = await requireUser();
  const values = Object.fromEntries([...formData].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
  const parsed = rateLimitsSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const { accountId, ...limits } = parsed.data;
  const updated = await db.acmeAccount.updateMany({ where: { id: accountId }, data: limits });
  if (updated.count === 0) return { formError: "That account does not exist.", values };
  const account = await db.acmeAccount.findUnique({ where: { id: accountId }, select: { label: true } });
  await recordAuditEvent({ actor: user.username, action: "account.rate-limits", target: account?.label ?? accountId, detail: limits, ip: await requestAddress() });
  revalidatePath("/accounts");
  return { savedAt: Date.now(), values };
}

/** "Register again" for a failed account, optionally with a new EAB key ID and HMAC key. */
export async function retryRegistrationAction(_previous: FormState, formData: FormData): Promise<FormState & { queuedAt?: number }> {
  const user = await requireUser();
  const raw = Object.fromEntries([...formData].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
  const result = await retryRegistration(raw);
  if (!result.ok) return { fieldErrors: result.fieldErrors, formError: result.formError, values: { eabKeyId: raw.eabKeyId ?? "" } };
  await recordAuditEvent({
    actor: user.username,
    action: "account.register-again",
    target: result.label,
    detail: result.hasNewEab ? { eab: "new key ID and HMAC key" } : undefined,
    ip: await requestAddress(),
  });
  revalidatePath("/accounts");
  return { queuedAt: Date.now() };
}
