import { AppError, fieldError } from "@/lib/core/app-error";
import { parseNames } from "@/lib/protocol/names/names";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { queueCertificateJob } from "@/lib/domain/certificates/certificate-job";
import { createCertificateInputSchema } from "@/lib/domain/certificates/certificate.validation";
import { resolveChallengeChoice } from "@/lib/domain/certificates/challenge-settings";
import { serializeIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { defineCommand } from "@/lib/domain/command/define-command";
import { accountNameOptions } from "@/lib/domain/network/account-network";

export interface CreatedCertificate {
  certificateId: string;
  /** The queued first issuance. */
  jobId: string;
}

/**
 * Adds a certificate and queues its first issuance: the dashboard's Add form and the REST API's
 * POST /certificates. The first name names the certificate (and its live/<name>/ directory).
 * Loopback and private addresses are names only for an account on a private network
 * (lib/domain/network/account-network.ts). Audited as "certificate.add" with the names and the challenge method.
 */
export const createCertificate = defineCommand(
  { name: "certificate.add", permission: "write", does: "add certificates", input: createCertificateInputSchema },
  async (input, context): Promise<CreatedCertificate> => {
    const account = await db.acmeAccount.findUnique({
      where: { id: input.accountId },
      select: { status: true, directoryUrl: true, caBundlePem: true, privateNetwork: true },
    });
    const names = parseNames(input.names, { challengeMethod: input.challengeMethod, ...accountNameOptions(account ?? { privateNetwork: false }) });
    if (!names.ok) throw new AppError("invalid_input", "Fix these fields: names.", { fieldErrors: { names: names.errors } });
    if (!account) throw fieldError("accountId", "That ACME account does not exist");
    if (account.status !== "valid") throw fieldError("accountId", "That ACME account is not registered yet; pick a registered one");
    const choice = await resolveChallengeChoice(input, names.identifiers, account);

    const name = names.identifiers[0].value;
    const alreadyExists = () => fieldError("names", `A certificate named ${name} already exists: renew it from its page instead`);
    if (await db.certificate.findUnique({ where: { name }, select: { id: true } })) throw alreadyExists();
    const certificate = await db.certificate
      .create({
        data: { name, identifiers: serializeIdentifiers(names.identifiers), keyType: input.keyType, ...choice, accountId: input.accountId },
        select: { id: true, name: true },
      })
      .catch((error: unknown) => {
        // Another request added the same name in the meantime.
        throw isUniqueViolation(error) ? alreadyExists() : error;
      });
    const { jobId } = await queueCertificateJob(context, certificate, {
      type: "issue",
      options: input.issueAnyway ? { issueAnyway: true } : {},
      audit: { detail: { names: names.identifiers.map((identifier) => identifier.value), method: input.challengeMethod } },
    });
    return { certificateId: certificate.id, jobId };
  },
);
