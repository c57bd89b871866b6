import "server-only";
import { z } from "zod";
import { cachedDirectoryFor } from "@/lib/protocol/acme/directory-cache";
import { chooseProfile } from "@/lib/protocol/acme/profiles";
import { DEFAULT_KEY_TYPE, KEY_TYPE_IDS, type KeyType } from "@/lib/protocol/x509/key-types";
import { parseStoredIdentifiers } from "@/lib/domain/certificates/identifiers";
import { parseWebrootPaths } from "@/lib/domain/certificates/webroot-paths";
import { db } from "@/lib/data/client";
import { ACTIVE_JOB_STATUSES } from "@/lib/data/queue/job-types";
import { createCertificateSchema, parseWebrootLines, type CreateCertificateData } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";
import type { Identifier } from "@/lib/protocol/names/names";
import { parseNames } from "@/lib/protocol/names/names";

/** The fields of the "Challenge settings" form (and of the add form's challenge part). */
export const CHALLENGE_SETTING_FIELDS = ["challengeMethod", "webrootPath", "webrootPaths", "dnsProviderId", "profile", "reuseKey"] as const;

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
  if (!certificate) return null;
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

/** Per-name webroots as the form's textarea shows them: "name /path" lines. */
export function webrootLinesOf(paths: Record<string, string>): string {
  return Object.entries(paths)
    .map(([name, webroot]) => `${name} ${webroot}`)
    .join("\n");
}

/**
 * Checks the webroot lines against the certificate's names: every listed name must be one of
 * them, and every name needs a webroot (its own, or the default). Returns the JSON to store.
 */
export function resolveWebrootPaths(
  identifiers: Identifier[],
  defaultWebroot: string | undefined,
  lines: string,
): { ok: true; stored: string | null } | { ok: false; fieldErrors: Record<string, string[]> } {
  const perName = parseWebrootLines(lines);
  const paths = perName.ok ? perName.paths : {};
  const unknown = Object.keys(paths).filter((name) => !identifiers.some((identifier) => identifier.value === name));
  if (unknown.length > 0) return { ok: false, fieldErrors: { webrootPaths: [`Not among this certificate's names: ${unknown.join(", ")}`] } };
  const uncovered = defaultWebroot ? [] : identifiers.filter((identifier) => !paths[identifier.value]).map((identifier) => identifier.value);
  if (uncovered.length > 0) return { ok: false, fieldErrors: { webrootPath: [`Enter a default webroot, or one for ${uncovered.join(", ")}`] } };
  return { ok: true, stored: Object.keys(paths).length > 0 ? JSON.stringify(paths) : null };
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
 * CA's profiles, for the add form and the "Challenge settings" form alike. Profiles are checked
 * against what the CA advertises now; an unreachable CA leaves the check to the job, which
 * refuses a profile the CA does not offer before ordering.
 */
export async function resolveChallengeChoice(
  input: Pick<CreateCertificateData, "challengeMethod" | "webrootPath" | "webrootPaths" | "dnsProviderId" | "profile" | "reuseKey">,
  identifiers: Identifier[],
  account: { directoryUrl: string; caBundlePem: string | null },
): Promise<{ ok: true; data: ChallengeChoice } | { ok: false; fieldErrors: Record<string, string[]> }> {
  let webrootPaths: string | null = null;
  if (input.challengeMethod === "http-01-webroot") {
    const resolved = resolveWebrootPaths(identifiers, input.webrootPath, input.webrootPaths);
    if (!resolved.ok) return resolved;
    webrootPaths = resolved.stored;
  }
  if (input.challengeMethod === "dns-01" && !(await db.dnsProvider.findUnique({ where: { id: input.dnsProviderId! }, select: { id: true } }))) {
    return { ok: false, fieldErrors: { dnsProviderId: ["That DNS provider does not exist"] } };
  }
  let profile = input.profile;
  const directory = await cachedDirectoryFor(account).catch(() => null);
  if (directory) {
    const choice = chooseProfile(input.profile, identifiers, directory);
    if (!choice.ok) return { ok: false, fieldErrors: { profile: [choice.error] } };
    profile = choice.profile;
  }
  return {
    ok: true,
    data: {
      challengeMethod: input.challengeMethod,
      webrootPath: input.challengeMethod === "http-01-webroot" ? (input.webrootPath ?? null) : null,
      webrootPaths,
      dnsProviderId: input.challengeMethod === "dns-01" ? input.dnsProviderId! : null,
      profile: profile ?? null,
      reuseKey: input.reuseKey,
    },
  };
}

export type UpdateChallengeSettingsResult = { ok: true; name: string; changed: string[] } | ({ ok: false } & FormState);

/**
 * Saves how the CA checks control of a certificate's names (method, webroots, DNS provider) and
 * what the next order asks for (profile, keep the key). The names, account and key type stay. The
 * same rules as the add form apply (one schema); the new settings are used from the next order on,
 * so they cannot change while a job is working on the certificate.
 */
export async function updateChallengeSettings(certificateId: string, raw: Record<string, string>): Promise<UpdateChallengeSettingsResult> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: {
      name: true,
      identifiers: true,
      keyType: true,
      accountId: true,
      challengeMethod: true,
      webrootPath: true,
      webrootPaths: true,
      dnsProviderId: true,
      profile: true,
      reuseKey: true,
      account: { select: { directoryUrl: true, caBundlePem: true } },
      jobs: { where: { status: { in: ACTIVE_JOB_STATUSES } }, select: { id: true }, take: 1 },
    },
  });
  if (!certificate) return { ok: false, formError: "That certificate does not exist." };
  if (certificate.jobs.length > 0) {
    return { ok: false, formError: "A job is working on this certificate right now. Change these settings when it has finished." };
  }
  const identifiers = parseStoredIdentifiers(certificate.identifiers);
  const submitted = Object.fromEntries(CHALLENGE_SETTING_FIELDS.filter((field) => raw[field] !== undefined).map((field) => [field, raw[field]]));
  const parsed = createCertificateSchema.safeParse({
    ...submitted,
    names: identifiers.map((identifier) => identifier.value).join("\n"),
    accountId: certificate.accountId,
    keyType: KEY_TYPE_IDS.includes(certificate.keyType as KeyType) ? certificate.keyType : DEFAULT_KEY_TYPE,
  });
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const input = parsed.data;

  // The names stay; the method must be able to validate all of them (wildcards, IP addresses).
  const names = parseNames(identifiers.map((identifier) => identifier.value).join("\n"), { challengeMethod: input.challengeMethod });
  if (!names.ok) return { ok: false, fieldErrors: { challengeMethod: names.errors } };

  const choice = await resolveChallengeChoice(input, identifiers, certificate.account);
  if (!choice.ok) return { ok: false, fieldErrors: choice.fieldErrors };
  const data = choice.data;
  await db.certificate.update({ where: { id: certificateId }, data });
  const changed = (Object.keys(data) as Array<keyof typeof data>).filter((key) => data[key] !== certificate[key]);
  return { ok: true, name: certificate.name, changed };
}
