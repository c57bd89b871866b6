import { fetchDirectory, type AcmeDirectory } from "@/lib/protocol/acme/directory";
import { DEFAULT_ACME_NETWORK } from "@/lib/protocol/acme/https-trust";
import type { OutboundPolicy } from "@/lib/protocol/net/outbound-url";

const TTL_MS = 10 * 60_000;
const cache = new Map<string, { at: number; directory: Promise<AcmeDirectory> }>();

/**
 * A CA's directory, read at most every ten minutes per URL (forms and pages list its profiles and
 * meta without a round trip each time). Jobs read it fresh with fetchDirectory. The outbound
 * policy (the lab opt-in) is part of the key: turning it off is not answered from the cache.
 */
export function cachedDirectoryFor(
  account: { directoryUrl: string; caBundlePem: string | null },
  network: OutboundPolicy = DEFAULT_ACME_NETWORK,
): Promise<AcmeDirectory> {
  const key = `${account.directoryUrl}\n${account.caBundlePem ?? ""}\n${network.allowLoopback ?? false}/${network.allowPrivate ?? false}/${network.allowHttp ?? false}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.directory;
  const directory = fetchDirectory(account.directoryUrl, account.caBundlePem, { network });
  cache.set(key, { at: Date.now(), directory });
  directory.catch(() => cache.delete(key));
  return directory;
}
