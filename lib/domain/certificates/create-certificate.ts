import { z } from "zod";
import { db } from "@/lib/data/client";
import { enqueueCertificateJob } from "@/lib/data/queue/queue";
import { serializeIdentifiers } from "@/lib/domain/certificates/identifiers";
import { resolveChallengeChoice } from "@/lib/domain/certificates/challenge-settings";
import { createCertificateSchema } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";
import { parseNames } from "@/lib/protocol/names/names";

export type CreateCertificateResult = { ok: true; certificateId: string; jobId: string } | ({ ok: false } & FormState);

/**
 * Validates the add-certificate form, stores the lineage and queues its first issuance.
 * The first name names the certificate (and its live/<name>/ directory).
 */
export async function createCertificate(raw: unknown): Promise<CreateCertificateResult> {
  const parsed = createCertificateSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const input = parsed.data;
  const names = parseNames(input.names, { challengeMethod: input.challengeMethod });
  if (!names.ok) return { ok: false, fieldErrors: { names: names.errors } };

  const account = await db.acmeAccount.findUnique({ where: { id: input.accountId }, select: { status: true, directoryUrl: true, caBundlePem: true } });
  if (!account) return { ok: false, fieldErrors: { accountId: ["That ACME account does not exist"] } };
  if (account.status !== "valid") {
    return { ok: false, fieldErrors: { accountId: ["That ACME account is not registered yet; pick a registered one"] } };
  }
  const choice = await resolveChallengeChoice(input, names.identifiers, account);
  if (!choice.ok) return { ok: false, fieldErrors: choice.fieldErrors };

  const name = names.identifiers[0].value;
  if (await db.certificate.findUnique({ where: { name }, select: { id: true } })) {
    return { ok: false, fieldErrors: { names: [`A certificate named ${name} already exists: renew it from its page instead`] } };
  }
  const certificate = await db.certificate.create({
    data: {
      name,
      identifiers: serializeIdentifiers(names.identifiers),
      keyType: input.keyType,
      ...choice.data,
      accountId: input.accountId,
    },
    select: { id: true },
  });
  const { jobId } = await enqueueCertificateJob(certificate.id, "issue", { jobOptions: input.issueAnyway ? { issueAnyway: true } : {} });
  return { ok: true, certificateId: certificate.id, jobId };
}
