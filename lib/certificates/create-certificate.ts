import { z } from "zod";
import { db } from "@/lib/db/client";
import { enqueueCertificateJob } from "@/lib/jobs/queue";
import { serializeIdentifiers } from "@/lib/certificates/identifiers";
import { cachedDirectoryFor } from "@/lib/acme/directory-cache";
import { chooseProfile } from "@/lib/acme/profiles";
import { createCertificateSchema, parseWebrootLines } from "@/lib/validation/certificate.validation";
import type { FormState } from "@/lib/validation/form-result";
import { parseNames } from "@/lib/validation/names";

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
  let webrootPaths: string | null = null;
  if (input.challengeMethod === "http-01-webroot") {
    const perName = parseWebrootLines(input.webrootPaths);
    const paths = perName.ok ? perName.paths : {};
    const unknown = Object.keys(paths).filter((name) => !names.identifiers.some((identifier) => identifier.value === name));
    if (unknown.length > 0) return { ok: false, fieldErrors: { webrootPaths: [`Not among this certificate's names: ${unknown.join(", ")}`] } };
    const uncovered = input.webrootPath ? [] : names.identifiers.filter((identifier) => !paths[identifier.value]).map((identifier) => identifier.value);
    if (uncovered.length > 0) return { ok: false, fieldErrors: { webrootPath: [`Enter a default webroot, or one for ${uncovered.join(", ")}`] } };
    webrootPaths = Object.keys(paths).length > 0 ? JSON.stringify(paths) : null;
  }
  if (input.challengeMethod === "dns-01" && !(await db.dnsProvider.findUnique({ where: { id: input.dnsProviderId! }, select: { id: true } }))) {
    return { ok: false, fieldErrors: { dnsProviderId: ["That DNS provider does not exist"] } };
  }
  // Profiles are checked against what the CA advertises now; an unreachable CA leaves the check
  // to the job, which refuses a profile the CA does not offer before ordering.
  let profile = input.profile;
  const directory = await cachedDirectoryFor(account).catch(() => null);
  if (directory) {
    const choice = chooseProfile(input.profile, names.identifiers, directory);
    if (!choice.ok) return { ok: false, fieldErrors: { profile: [choice.error] } };
    profile = choice.profile;
  }

  const name = names.identifiers[0].value;
  if (await db.certificate.findUnique({ where: { name }, select: { id: true } })) {
    return { ok: false, fieldErrors: { names: [`A certificate named ${name} already exists: renew it from its page instead`] } };
  }
  const certificate = await db.certificate.create({
    data: {
      name,
      identifiers: serializeIdentifiers(names.identifiers),
      keyType: input.keyType,
      challengeMethod: input.challengeMethod,
      webrootPath: input.challengeMethod === "http-01-webroot" ? (input.webrootPath ?? null) : null,
      webrootPaths,
      dnsProviderId: input.challengeMethod === "dns-01" ? input.dnsProviderId : null,
      profile: profile ?? null,
      reuseKey: input.reuseKey,
      accountId: input.accountId,
    },
    select: { id: true },
  });
  const { jobId } = await enqueueCertificateJob(certificate.id, "issue", { jobOptions: input.issueAnyway ? { issueAnyway: true } : {} });
  return { ok: true, certificateId: certificate.id, jobId };
}
