import { cachedDirectoryFor } from "@/lib/protocol/acme/directory-cache";
import { listDirectoryProfiles, type DirectoryProfile } from "@/lib/protocol/acme/profiles";
import { AppError, userMessageOf } from "@/lib/core/app-error";
import { directoryLookupSchema } from "@/lib/domain/accounts/account.validation";
import { accountNetwork, type AccountNetworkChoice } from "@/lib/domain/network/account-network";
import { checkOutboundUrl } from "@/lib/protocol/net/outbound-url";
import { defineCommand } from "@/lib/domain/command/define-command";

/** What a CA's directory says about itself (RFC 8555 section 7.1.1 meta, plus profiles). */
export interface DirectoryFacts {
  termsOfService?: string;
  website?: string;
  externalAccountRequired: boolean;
  caaIdentities: string[];
  profiles: DirectoryProfile[];
}

export type DirectoryFactsResult = { ok: true; facts: DirectoryFacts } | { ok: false; reason: string };

/**
 * Reads a directory's meta for display, through the ten-minute cache and within `timeoutMs`, so a
 * page listing several accounts stays quick when one CA is down. Never throws: an unreachable CA
 * becomes a reason to show.
 */
export async function readDirectoryFacts(account: DirectoryOf, timeoutMs = 3000): Promise<DirectoryFactsResult> {
  try {
    return { ok: true, facts: await fetchDirectoryFacts(account, timeoutMs) };
  } catch (error) {
    return { ok: false, reason: userMessageOf(error) };
  }
}

/**
 * The account form's "Check directory": what the CA says about itself (terms of service, EAB),
 * before the user agrees. One bounded GET, under the policy the account would have (the form's
 * "This CA is on my private network or this machine"): a URL CertDeck does not connect to is
 * refused before any request (AppError with a field error on directoryUrl); an unreachable CA is
 * an AppError saying why.
 */
export const lookUpDirectory = defineCommand(
  { name: "account.look-up-directory", permission: "read", does: "read CA directories", input: directoryLookupSchema },
  async ({ directoryUrl, caBundlePem, privateNetwork }) => {
    checkOutboundUrl(directoryUrl, accountNetwork({ privateNetwork }, "directoryUrl"));
    return fetchDirectoryFacts({ directoryUrl, caBundlePem: caBundlePem ?? null, privateNetwork }, 10_000);
  },
);

type DirectoryOf = { directoryUrl: string; caBundlePem: string | null } & AccountNetworkChoice;

async function fetchDirectoryFacts(account: DirectoryOf, timeoutMs: number): Promise<DirectoryFacts> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError("acme_unreachable", `the directory did not answer within ${Math.round(timeoutMs / 1000)} seconds`)),
      timeoutMs,
    );
  });
  try {
    const directory = await Promise.race([cachedDirectoryFor(account, accountNetwork(account)), timeout]);
    const meta = directory.meta ?? {};
    return {
      termsOfService: linkOrUndefined(meta.termsOfService),
      website: linkOrUndefined(meta.website),
      externalAccountRequired: meta.externalAccountRequired === true,
      caaIdentities: Array.isArray(meta.caaIdentities) ? meta.caaIdentities.filter((identity) => typeof identity === "string") : [],
      profiles: listDirectoryProfiles(directory),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Links from a CA's directory are rendered as <a href>: only http(s) URLs qualify, plus plain-text
 * data: URLs (Pebble's terms are "data:text/plain,…"). Nothing scriptable passes.
 */
function linkOrUndefined(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 2000) return undefined;
  if (/^data:text\/plain[,;]/i.test(value)) return value;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : undefined;
  } catch {
    return undefined;
  }
}
