import { z } from "zod";
import { generateAccountKeyPem } from "@/lib/protocol/acme/client";
import { presetLabelFor } from "@/lib/protocol/acme/presets";
import { db } from "@/lib/data/client";
import { enqueueAccountJob } from "@/lib/data/queue/queue";
import { encryptSecret } from "@/lib/data/secret-box";
import { createAccountSchema } from "@/lib/domain/accounts/account.validation";
import type { FormState } from "@/lib/web/form-state";

export type CreateAccountResult = { ok: true; accountId: string; jobId: string } | ({ ok: false } & FormState);

/**
 * Stores a new ACME account with a fresh ECDSA P-256 key (encrypted) and queues its
 * registration at the CA. Nothing is stored when the input is invalid.
 */
export async function createAccount(raw: unknown): Promise<CreateAccountResult> {
  const parsed = createAccountSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const input = parsed.data;
  const host = new URL(input.directoryUrl).host;
  const account = await db.acmeAccount.create({
    data: {
      label: input.label || `${presetLabelFor(input.directoryUrl)?.split(" (")[0] ?? host} (${input.email})`,
      directoryUrl: input.directoryUrl,
      email: input.email,
      accountKeyEnc: encryptSecret(await generateAccountKeyPem()),
      termsAgreedAt: new Date(),
      caBundlePem: input.caBundlePem ?? null,
      eabKeyId: input.eabKeyId ?? null,
      eabHmacKeyEnc: input.eabHmacKey ? encryptSecret(input.eabHmacKey) : null,
    },
    select: { id: true },
  });
  const { jobId } = await enqueueAccountJob(account.id, "register-account");
  return { ok: true, accountId: account.id, jobId };
}
