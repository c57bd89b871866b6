import { z } from "zod";
import { createAcmeClient, lastProblemOf } from "@/lib/protocol/acme/client";
import { fetchDirectory } from "@/lib/protocol/acme/directory";
import { describeRegistrationFailure, missingEabError } from "@/lib/domain/accounts/registration-errors";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import { defineJob } from "@/lib/jobs/handlers/define-job";
import { JOB_OPTION_SCHEMAS } from "@/lib/data/queue/job-types";
import { decryptSecret } from "@/lib/data/secret-box";

/** Registers (or finds again, with the same key) an ACME account at its directory. */
export const registerAccountJob = defineJob({
  type: "register-account",
  options: JOB_OPTION_SCHEMAS["register-account"],
  state: z.object({}),

  async run({ job, log }) {
    if (!job.accountId) throw new Error(`job ${job.id} has no account`);
    const account = await db.acmeAccount.findUniqueOrThrow({
      where: { id: job.accountId },
      omit: { accountKeyEnc: false, eabHmacKeyEnc: false },
    });
    if (!account.termsAgreedAt) {
      throw new AppError("invalid_input", "The CA's terms of service were not agreed to; the account cannot be registered.");
    }
    const network = accountNetwork(account);
    const directory = await fetchDirectory(account.directoryUrl, account.caBundlePem, { network });
    await log("directory", `CA directory reachable: ${account.directoryUrl}`);
    const hasEab = Boolean(account.eabKeyId && account.eabHmacKeyEnc);
    if (directory.meta?.externalAccountRequired && !hasEab) throw missingEabError(account.directoryUrl);
    if (hasEab) await log("register", `Using External Account Binding with key ID ${account.eabKeyId}`);
    const client = createAcmeClient({
      directoryUrl: account.directoryUrl,
      accountKeyPem: decryptSecret(account.accountKeyEnc),
      caBundlePem: account.caBundlePem,
      network,
      externalAccountBinding: hasEab ? { kid: account.eabKeyId!, hmacKey: decryptSecret(account.eabHmacKeyEnc!) } : undefined,
    });
    const registered = await client
      .createAccount({ termsOfServiceAgreed: true, contact: account.email ? [`mailto:${account.email}`] : [] })
      .catch((error: unknown) => {
        throw describeRegistrationFailure(error, { directoryUrl: account.directoryUrl, hasSentEab: hasEab, lastProblem: lastProblemOf(client) });
      });
    const accountUrl = client.getAccountUrl();
    await db.acmeAccount.update({
      where: { id: account.id },
      data: {
        accountUrl,
        status: registered.status ?? "valid",
        termsOfServiceUrl: directory.meta?.termsOfService ?? account.termsOfServiceUrl,
        lastError: null,
      },
    });
    await log("register", `Account registered: ${accountUrl}`);
    return `Account registered (${registered.status})`;
  },

  async onFailure({ job }, { userMessage }) {
    if (!job.accountId) return;
    await db.acmeAccount.update({ where: { id: job.accountId }, data: { status: "failed", lastError: userMessage } });
  },
});
