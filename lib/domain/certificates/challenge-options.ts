import "server-only";
import { cachedDirectoryFor } from "@/lib/protocol/acme/directory-cache";
import { listDirectoryProfiles, type DirectoryProfile } from "@/lib/protocol/acme/profiles";
import { listenPort } from "@/lib/core/env";
import { db } from "@/lib/data/client";
import { getSetting } from "@/lib/data/settings";
import { DNS_PROVIDER_TYPES, listDnsProviders, type DnsProviderType } from "@/lib/domain/dns-providers/provider-store";
import { accountNetwork } from "@/lib/domain/network/account-network";

/** A page waits at most this long for a CA's directory before showing the form without profiles. */
const DIRECTORY_WAIT_MS = 3000;

/**
 * The profiles each registered account's CA advertises (account id → profiles; [] when none, or
 * when the CA does not answer quickly: the job checks the choice again before ordering).
 */
export async function listProfilesByAccount(accountIds?: string[]): Promise<Record<string, DirectoryProfile[]>> {
  const accounts = await db.acmeAccount.findMany({
    where: { status: "valid", ...(accountIds ? { id: { in: accountIds } } : {}) },
    select: { id: true, directoryUrl: true, caBundlePem: true, privateNetwork: true },
  });
  const entries = await Promise.all(
    accounts.map(async (account) => {
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), DIRECTORY_WAIT_MS).unref());
      const directory = await Promise.race([cachedDirectoryFor(account, accountNetwork(account)).catch(() => null), timeout]);
      return [account.id, directory ? listDirectoryProfiles(directory) : []] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** DNS providers for a certificate form's select: id, name and type only. */
export async function listDnsProviderChoices(): Promise<Array<{ id: string; name: string; typeLabel: string }>> {
  return (await listDnsProviders()).map(({ id, name, type, typeLabel }) => ({
    id,
    name,
    typeLabel: DNS_PROVIDER_TYPES[type as DnsProviderType]?.short ?? typeLabel,
  }));
}

/**
 * Where the challenge listeners are, for the forms' help texts: the standalone HTTP-01 and
 * TLS-ALPN-01 ports (Settings), and the address nginx forwards /.well-known/acme-challenge/ to.
 */
export async function getChallengeListeners(): Promise<{ standalonePort: number; tlsAlpnPort: number; challengeUpstream: string }> {
  const [standalonePort, tlsAlpnPort] = await Promise.all([getSetting("standalonePort"), getSetting("tlsAlpnPort")]);
  return { standalonePort, tlsAlpnPort, challengeUpstream: `http://127.0.0.1:${listenPort()}` };
}
