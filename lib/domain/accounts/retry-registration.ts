import { z } from "zod";
import { presetFor } from "@/lib/protocol/acme/presets";
import { db } from "@/lib/data/client";
import { enqueueAccountJob } from "@/lib/data/queue/queue";
import { encryptSecret } from "@/lib/data/secret-box";
import { eabHmacKeySchema, eabKeyIdSchema } from "@/lib/domain/accounts/account.validation";
import type { FormState } from "@/lib/web/form-state";

const retrySchema = z
  .object({
    accountId: z.string().min(1).max(64).regex(/^[a-z0-9]+$/i),
    eabKeyId: eabKeyIdSchema,
    eabHmacKey: eabHmacKeySchema,
  })
  .superRefine((input, context) => {
    if (input.eabKeyId && !input.eabHmacKey) context.addIssue({ code: "custom", message: "Enter the HMAC key that goes with this key ID", path: ["eabHmacKey"] });
    if (input.eabHmacKey && !input.eabKeyId) context.addIssue({ code: "custom", message: "Enter the key ID that goes with this HMAC key", path: ["eabKeyId"] });
  });

export type RetryRegistrationResult = { ok: true; label: string; jobId: string; hasNewEab: boolean } | ({ ok: false } & FormState);

/**
 * Registers a failed account again, with a new EAB key ID and HMAC key when given (they replace
 * the stored pair; the HMAC key is encrypted). The account key stays the same.
 */
export async function retryRegistration(raw: unknown): Promise<RetryRegistrationResult> {
  const parsed = retrySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { accountId, eabKeyId, eabHmacKey } = parsed.data;
  const account = await db.acmeAccount.findUnique({ where: { id: accountId }, select: { label: true, status: true, directoryUrl: true, eabKeyId: true } });
  if (!account) return { ok: false, formError: "That account does not exist." };
  if (account.status !== "failed") return { ok: false, formError: "Only an account whose registration failed can be registered again." };
  const preset = presetFor(account.directoryUrl);
  if (preset?.requiresEab && !account.eabKeyId && !eabKeyId) {
    const message = `${preset.label} requires External Account Binding: enter the EAB key ID and HMAC key (${preset.eabSource})`;
    return { ok: false, fieldErrors: { eabKeyId: [message], eabHmacKey: [`Required by ${preset.label}`] } };
  }
  const { count } = await db.acmeAccount.updateMany({
    where: { id: accountId, status: "failed" },
    data: { status: "pending", lastError: null, ...(eabKeyId && eabHmacKey ? { eabKeyId, eabHmacKeyEnc: encryptSecret(eabHmacKey) } : {}) },
  });
  if (count !== 1) return { ok: false, formError: "The account changed meanwhile: reload the page." };
  const { jobId } = await enqueueAccountJob(accountId, "register-account");
  return { ok: true, label: account.label, jobId, hasNewEab: Boolean(eabKeyId) };
}
