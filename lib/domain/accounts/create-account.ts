import { generateAccountKeyPem } from "@/lib/protocol/acme/client";
import { presetLabelFor } from "@/lib/protocol/acme/presets";
import { db } from "@/lib/data/client";
import { enqueueAccountJob } from "@/lib/data/queue/queue";
import { encryptSecret } from "@/lib/data/secret-box";
import { createAccountSchema } from "@/lib/domain/accounts/account.validation";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { checkOutboundUrl } from "@/lib/protocol/net/outbound-url";
import { defineCommand } from "@/lib/domain/command/define-command";

/**
 * Stores a new ACME account with a fresh ECDSA P-256 key (encrypted) and queues its
 * registration at the CA. Nothing is stored when the input is invalid, or when the directory URL
 * is one CertDeck does not connect to for this account (a loopback, private or metadata address,
 * http …; lib/domain/network/account-network.ts). The EAB HMAC key is encrypted and never audited.
 */
export const createAccount = defineCommand(
  { name: "account.add", permission: "write", does: "register ACME accounts", input: createAccountSchema },
  async (input, context) => {
    const host = checkOutboundUrl(input.directoryUrl, accountNetwork(input, "directoryUrl")).host;
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
        privateNetwork: input.privateNetwork,
      },
      select: { id: true, label: true, directoryUrl: true },
    });
    const { jobId } = await enqueueAccountJob(account.id, "register-account");
    await context.audit({ target: account.label, detail: { directory: account.directoryUrl, ...(input.privateNetwork ? { privateNetwork: true } : {}) } });
    return { accountId: account.id, label: account.label, jobId };
  },
);
