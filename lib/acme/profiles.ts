import type { AcmeDirectory } from "@/lib/acme/directory";
import type { Identifier } from "@/lib/validation/names";

/** A profile the CA advertises in its directory's meta.profiles. */
export interface DirectoryProfile {
  name: string;
  description: string;
}

/** The profiles a directory advertises, in its order; [] when it has none. */
export function listDirectoryProfiles(directory: Pick<AcmeDirectory, "meta">): DirectoryProfile[] {
  return Object.entries(directory.meta?.profiles ?? {}).map(([name, description]) => ({ name, description: String(description) }));
}

/**
 * The profile to send in newOrder, or an error for the form. With no profiles advertised nothing
 * is sent. IP identifiers get "shortlived" when the CA offers it and nothing else was chosen.
 * (Being completed with the IP-certificate work.)
 */
export function chooseProfile(
  requested: string | undefined,
  identifiers: Identifier[],
  directory: Pick<AcmeDirectory, "meta">,
): { ok: true; profile: string | undefined } | { ok: false; error: string } {
  const offered = listDirectoryProfiles(directory);
  if (offered.length === 0) return { ok: true, profile: undefined };
  if (requested && !offered.some((profile) => profile.name === requested)) {
    return { ok: false, error: `The CA does not offer the profile "${requested}" (it offers: ${offered.map((profile) => profile.name).join(", ")})` };
  }
  if (!requested && identifiers.some((identifier) => identifier.type === "ip") && offered.some((profile) => profile.name === "shortlived")) {
    return { ok: true, profile: "shortlived" };
  }
  return { ok: true, profile: requested };
}
