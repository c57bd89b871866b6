import { AppError } from "@/lib/core/app-error";
import { presetFor } from "@/lib/protocol/acme/presets";
import { db } from "@/lib/data/client";
import { enqueueAccountJob } from "@/lib/data/queue/queue";
import { encryptSecret } from "@/lib/data/secret-box";
import { retryRegistrationSchema } from "@/lib/domain/accounts/account.validation";
import { accountOrNotFound } from "@/lib/domain/accounts/find-account";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { checkOutboundUrl } from "@/lib/protocol/net/outbound-url";
import { defineCommand } from "@/lib/domain/command/define-command";

/**
 * "Register again" for an account whose registration failed, with a new EAB key ID and HMAC key
 * when given (they replace the stored pair; the HMAC key is encrypted). The account key stays
 * the same.
 */
export const retryRegistration = defineCommand(
  { name: "account.register-again", permission: "write", does: "register ACME accounts", input: retryRegistrationSchema },
  async ({ id, eabKeyId, eabHmacKey }, context) => {
    const account = await accountOrNotFound(id, { label: true, status: true, directoryUrl: true, eabKeyId: true, privateNetwork: true });
    if (account.status !== "failed") throw new AppError("conflict", "Only an account whose registration failed can be registered again.");
    // Refused before anything is queued (the job would refuse it too): the URL as stored, under the account's choice.
    checkOutboundUrl(account.directoryUrl, accountNetwork(account));
    const preset = presetFor(account.directoryUrl);
    if (preset?.requiresEab && !account.eabKeyId && !eabKeyId) {
      const message = `${preset.label} requires External Account Binding: enter the EAB key ID and HMAC key (${preset.eabSource})`;
      throw new AppError("invalid_input", message, { fieldErrors: { eabKeyId: [message], eabHmacKey: [`Required by ${preset.label}`] } });
    }
    const { count } = await db.acmeAccount.updateMany({
      where: { id, status: "failed" },
      data: { status: "pending", lastError: null, ...(eabKeyId && eabHmacKey ? { eabKeyId, eabHmacKeyEnc: encryptSecret(eabHmacKey) } : {}) },
    });
    if (count !== 1) throw new AppError("conflict", "The account changed meanwhile: reload the page.");
    const { jobId } = await enqueueAccountJob(id, "register-account");
    await context.audit({ target: account.label, detail: eabKeyId ? { eab: "new key ID and HMAC key" } : undefined });
    return { label: account.label, jobId, hasNewEab: Boolean(eabKeyId) };
  },
);
