import "server-only";
import { AppError, fieldError } from "@/lib/core/app-error";
import { cachedDirectoryFor } from "@/lib/protocol/acme/directory-cache";
import { chooseProfile } from "@/lib/protocol/acme/profiles";
import type { Identifier } from "@/lib/protocol/names/names";
import { parseNames } from "@/lib/protocol/names/names";
import { db } from "@/lib/data/client";
import { ACTIVE_JOB_STATUSES } from "@/lib/data/queue/job-types";
import { challengeSettingsInputSchema, type ChallengeSettingsData } from "@/lib/domain/certificates/certificate.validation";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { uploadedConflict } from "@/lib/domain/certificates/certificate-source";
import { parseWebrootPaths } from "@/lib/domain/certificates/webroot-paths";
import { defineCommand } from "@/lib/domain/command/define-command";
import { accountNameOptions, accountNetwork } from "@/lib/domain/network/account-network";

/** A certificate's challenge and order settings, for its page (no secrets: a provider's name only). */
export interface ChallengeSettings {
  certificateId: string;
  accountId: string;
  identifiers: Identifier[];
  challengeMethod: string;
  webrootPath: string | null;
  /** Per-name webroots, { name: path }. */
  webrootPaths: Record<string, string>;
  dnsProvider: { id: string; name: string; type: string } | null;
  profile: string | null;
  reuseKey: boolean;
}

export async function getChallengeSettings(certificateId: string): Promise<ChallengeSettings | null> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: {
      id: true,
      accountId: true,
      identifiers: true,
      challengeMethod: true,
      webrootPath: true,
      webrootPaths: true,
      profile: true,
      reuseKey: true,
      dnsProvider: { select: { id: true, name: true, type: true } },
    },
  });
  // An uploaded certificate has no ACME account and is never ordered here: no challenge settings.
  if (!certificate?.accountId) return null;
  return {
    certificateId: certificate.id,
    accountId: certificate.accountId,
    identifiers: parseStoredIdentifiers(certificate.identifiers),
    challengeMethod: certificate.challengeMethod,
    webrootPath: certificate.webrootPath,
    webrootPaths: parseWebrootPaths(certificate.webrootPaths),
    dnsProvider: certificate.dnsProvider,
    profile: certificate.profile,
    reuseKey: certificate.reuseKey,
  };
}

/**
 * Checks the per-name webroots against the certificate's names: every listed name must be one of
 * them, and every name needs a webroot (its own, or the default). Returns the JSON to store.
 */
export function resolveWebrootPaths(identifiers: Identifier[], defaultWebroot: string | undefined, paths: Record<string, string>): string | null {
  const unknown = Object.keys(paths).filter((name) => !identifiers.some((identifier) => identifier.value === name));
  if (unknown.length > 0) throw fieldError("webrootPaths", `Not among this certificate's names: ${unknown.join(", ")}`);
  const uncovered = defaultWebroot ? [] : identifiers.filter((identifier) => !Object.hasOwn(paths, identifier.value)).map((identifier) => identifier.value);
  if (uncovered.length > 0) throw fieldError("webrootPath", `Enter a default webroot, or one for ${uncovered.join(", ")}`);
  return Object.keys(paths).length > 0 ? JSON.stringify(paths) : null;
}

/** The challenge and order settings as stored on a certificate. */
export interface ChallengeChoice {
  challengeMethod: string;
  webrootPath: string | null;
  webrootPaths: string | null;
  dnsProviderId: string | null;
  profile: string | null;
  reuseKey: boolean;
}

/**
 * Checks the parsed challenge fields against the certificate's names, the DNS providers and the
 * CA's profiles, for adding a certificate and for its "Challenge settings" alike; AppError with
 * the field at fault. Profiles are checked against what the CA advertises now; an unreachable CA
 * leaves the check to the job, which refuses a profile the CA does not offer before ordering.
 */
export async function resolveChallengeChoice(
  input: Pick<ChallengeSettingsData, "challengeMethod" | "webrootPath" | "webrootPaths" | "dnsProviderId" | "profile" | "reuseKey">,
  identifiers: Identifier[],
  account: { directoryUrl: string; caBundlePem: string | null; privateNetwork: boolean },
): Promise<ChallengeChoice> {
  const webrootPaths = input.challengeMethod === "http-01-webroot" ? resolveWebrootPaths(identifiers, input.webrootPath, input.webrootPaths) : null;
  if (input.challengeMethod === "dns-01" && !(await db.dnsProvider.findUnique({ where: { id: input.dnsProviderId! }, select: { id: true } }))) {
    throw fieldError("dnsProviderId", "That DNS provider does not exist");
  }
  let profile = input.profile;
  const directory = await cachedDirectoryFor(account, accountNetwork(account)).catch(() => null);
  if (directory) {
    const choice = chooseProfile(input.profile, identifiers, directory);
    if (!choice.ok) throw fieldError("profile", choice.error);
    profile = choice.profile;
  }
  return {
    challengeMethod: input.challengeMethod,
    webrootPath: input.challengeMethod === "http-01-webroot" ? (input.webrootPath ?? null) : null,
    webrootPaths,
    dnsProviderId: input.challengeMethod === "dns-01" ? input.dnsProviderId! : null,
    profile: profile ?? null,
    reuseKey: input.reuseKey,
  };
}

export interface UpdatedChallengeSettings {
  name: string;
  /** The stored settings that changed (names only), in a fixed order. */
  changed: Array<keyof ChallengeChoice>;
}

/**
 * Saves how the CA checks control of a certificate's names (method, webroots, DNS provider) and
 * what the next order asks for (profile, keep the key). The names, account and key type stay. The
 * same rules as adding a certificate apply (one schema); the new settings are used from the next
 * order on, so they cannot change while a job is working on the certificate. Audited when
 * something changed.
 */
export const updateChallengeSettings = defineCommand(
  { name: "certificate.challenge-settings", permission: "write", does: "change certificates' challenge settings", input: challengeSettingsInputSchema },
  async ({ id, ...input }, context): Promise<UpdatedChallengeSettings> => {
    const certificate = await db.certificate.findUnique({
      where: { id },
      select: {
        name: true,
        identifiers: true,
        challengeMethod: true,
        webrootPath: true,
        webrootPaths: true,
        dnsProviderId: true,
        profile: true,
        reuseKey: true,
        account: { select: { directoryUrl: true, caBundlePem: true, privateNetwork: true } },
        jobs: { where: { status: { in: ACTIVE_JOB_STATUSES } }, select: { id: true }, take: 1 },
      },
    });
    if (!certificate) throw new AppError("not_found", "That certificate does not exist.");
    if (!certificate.account) throw uploadedConflict(certificate.name, "change how the CA validates");
    if (certificate.jobs.length > 0) {
      throw new AppError("conflict", "A job is working on this certificate right now. Change these settings when it has finished.");
    }
    const identifiers = parseStoredIdentifiers(certificate.identifiers);
    // The names stay; the method must be able to validate all of them (wildcards, IP addresses).
    const names = parseNames(
      identifiers.map((identifier) => identifier.value),
      { challengeMethod: input.challengeMethod, ...accountNameOptions(certificate.account) },
    );
    if (!names.ok)
      throw new AppError("invalid_input", `That method cannot validate every name of ${certificate.name}.`, { fieldErrors: { challengeMethod: names.errors } });

    const data = await resolveChallengeChoice(input, identifiers, certificate.account);
    await db.certificate.update({ where: { id }, data });
    const changed = (Object.keys(data) as Array<keyof ChallengeChoice>).filter((key) => data[key] !== certificate[key]);
    if (changed.length > 0) await context.audit({ target: certificate.name, detail: { changed } });
    return { name: certificate.name, changed };
  },
);
