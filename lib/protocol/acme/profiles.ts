/**
 * ACME profiles (draft-aaron-acme-profiles): a CA lists them in its directory's meta.profiles
 * (name → description; Let's Encrypt's descriptions are links to its documentation) and the client
 * names one in newOrder. Pure logic, shared by the certificate form, the account page and the jobs.
 */
import type { AcmeDirectory } from "@/lib/protocol/acme/directory";
import type { Identifier } from "@/lib/protocol/names/names";

/** What CertDeck knows about a profile of a CA it recognises (Let's Encrypt's published rules). */
export interface KnownProfileRules {
  /** "90 days", "160 hours (about 6.7 days)" */
  lifetime: string;
  /** Names (identifiers) per certificate. */
  maxNames: number;
  allowsIpAddresses: boolean;
}

/** A profile the CA advertises in its directory's meta.profiles. */
export interface DirectoryProfile {
  name: string;
  /** The directory's own text, as is. */
  description: string;
  /** The description's leading http(s) URL, when it starts with one: link it as "documentation". */
  documentationUrl: string | null;
  /** The rules CertDeck knows for this CA's profile; null when it does not know them. */
  rules: KnownProfileRules | null;
}

export type ProfileChoice = { ok: true; profile: string | undefined } | { ok: false; error: string };

type ProfileDirectory = Pick<AcmeDirectory, "meta"> & Partial<Pick<AcmeDirectory, "newOrder">>;

/**
 * Let's Encrypt's profiles as documented at https://letsencrypt.org/docs/profiles/ (the
 * directory lists them under `meta.profiles`, per the IETF draft "ACME Profiles Extension"):
 * classic is the default when no profile is sent; only shortlived takes IP addresses (RFC 8738
 * identifiers; without the profile Let's Encrypt answers rejectedIdentifier).
 */
const LETS_ENCRYPT_RULES: Record<string, KnownProfileRules> = {
  classic: { lifetime: "90 days (64 days from 2027-02-10)", maxNames: 100, allowsIpAddresses: false },
  tlsserver: { lifetime: "45 days", maxNames: 25, allowsIpAddresses: false },
  shortlived: { lifetime: "160 hours (about 6.7 days)", maxNames: 25, allowsIpAddresses: true },
};
const LETS_ENCRYPT_DEFAULT_PROFILE = "classic";
export const IP_ADDRESS_PROFILE = "shortlived";

/** Production and staging both live under api.letsencrypt.org; the directory's own URLs tell. */
function isLetsEncrypt(directory: ProfileDirectory): boolean {
  try {
    return directory.newOrder !== undefined && new URL(directory.newOrder).hostname.endsWith(".api.letsencrypt.org");
  } catch {
    return false;
  }
}

function rulesFor(directory: ProfileDirectory, profile: string): KnownProfileRules | null {
  return isLetsEncrypt(directory) ? (LETS_ENCRYPT_RULES[profile] ?? null) : null;
}

function leadingUrl(description: string): string | null {
  const first = description.trim().split(/\s+/)[0] ?? "";
  try {
    const url = new URL(first);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/** The profiles a directory advertises, in its order; [] when it has none. */
export function listDirectoryProfiles(directory: ProfileDirectory): DirectoryProfile[] {
  const profiles = directory.meta?.profiles;
  if (!profiles || typeof profiles !== "object" || Array.isArray(profiles)) return [];
  return Object.entries(profiles).map(([name, description]) => {
    const text = typeof description === "string" ? description : "";
    return { name, description: text, documentationUrl: leadingUrl(text), rules: rulesFor(directory, name) };
  });
}

function quoteList(names: string[]): string {
  return names.map((name) => `"${name}"`).join(", ");
}

/**
 * The profile to send in newOrder, or a sentence saying why the choice cannot work, before any
 * order is placed:
 * - no profiles advertised: nothing is sent (and a requested one is refused: the CA cannot honour it);
 * - a requested profile must be one the CA advertises;
 * - IP identifiers with nothing requested get "shortlived" when the CA offers it;
 * - at Let's Encrypt, IP addresses only with shortlived, and at most 25 names with tlsserver and
 *   shortlived (100 with classic).
 */
export function chooseProfile(requested: string | undefined, identifiers: Identifier[], directory: ProfileDirectory): ProfileChoice {
  const offered = listDirectoryProfiles(directory);
  const wanted = requested?.trim() || undefined;
  if (offered.length === 0) {
    return wanted
      ? { ok: false, error: `This CA does not offer profiles, so "${wanted}" cannot be requested. Leave the profile empty.` }
      : { ok: true, profile: undefined };
  }
  const names = offered.map((profile) => profile.name);
  if (wanted && !names.includes(wanted)) {
    return { ok: false, error: `The CA does not offer the profile "${wanted}"; it offers ${quoteList(names)}.` };
  }
  const hasIpAddress = identifiers.some((identifier) => identifier.type === "ip");
  const profile = wanted ?? (hasIpAddress && names.includes(IP_ADDRESS_PROFILE) ? IP_ADDRESS_PROFILE : undefined);

  // The profile the CA will apply: the one sent, or Let's Encrypt's default.
  const effective = profile ?? (isLetsEncrypt(directory) ? LETS_ENCRYPT_DEFAULT_PROFILE : undefined);
  const rules = effective ? rulesFor(directory, effective) : null;
  if (rules && hasIpAddress && !rules.allowsIpAddresses) {
    const ipProfiles = offered.filter((candidate) => candidate.rules?.allowsIpAddresses).map((candidate) => candidate.name);
    return {
      ok: false,
      error: `The profile "${effective}" is for DNS names only; this CA issues certificates for IP addresses only with ${ipProfiles.length > 0 ? quoteList(ipProfiles) : "another profile"}. Choose it, or leave the profile empty to get it automatically.`,
    };
  }
  if (rules && identifiers.length > rules.maxNames) {
    const roomier = offered
      .filter((candidate) => candidate.rules && candidate.rules.maxNames >= identifiers.length && (!hasIpAddress || candidate.rules.allowsIpAddresses))
      .map((candidate) => candidate.name);
    return {
      ok: false,
      error: `The profile "${effective}" allows at most ${rules.maxNames} names per certificate; this one has ${identifiers.length}. Split the names over several certificates${roomier.length > 0 ? `, or choose ${quoteList(roomier)}` : ""}.`,
    };
  }
  return { ok: true, profile };
}

/**
 * The profile a job sends for a stored certificate: its own profile, kept on every renewal (and
 * refused before ordering once the CA no longer offers it), or "shortlived" for IP addresses when
 * none was chosen. A CA that stopped advertising profiles altogether gets none: the order still
 * works. `notice` is a line for the job log.
 */
export function chooseProfileForJob(
  stored: string | null,
  identifiers: Identifier[],
  directory: ProfileDirectory,
): { ok: true; profile: string | undefined; notice?: string } | { ok: false; error: string } {
  if (stored && listDirectoryProfiles(directory).length === 0) {
    return { ok: true, profile: undefined, notice: `The CA no longer advertises profiles; ordering without the profile "${stored}"` };
  }
  const choice = chooseProfile(stored ?? undefined, identifiers, directory);
  if (!choice.ok) return { ok: false, error: `${choice.error} Change the profile in the certificate's settings, then try again. Nothing was sent to the CA.` };
  if (choice.profile && !stored) return { ...choice, notice: `Using the profile "${choice.profile}": the CA issues IP address certificates with it` };
  return choice;
}
