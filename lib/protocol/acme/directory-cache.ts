import { fetchDirectory, type AcmeDirectory } from "@/lib/protocol/acme/directory";

const TTL_MS = 10 * 60_000;
const cache = new Map<string, { at: number; directory: Promise<AcmeDirectory> }>();

/**
 * A CA's directory, read at most every ten minutes per URL (forms and pages list its profiles and
 * meta without a round trip each time). Jobs read it fresh with fetchDirectory.
 */
export function cachedDirectoryFor(account: { directoryUrl: string; caBundlePem: string | null }): Promise<AcmeDirectory> {
  const key = `${account.directoryUrl}\n${account.caBundlePem ?? ""}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.directory;
  const directory = fetchDirectory(account.directoryUrl, account.caBundlePem);
  cache.set(key, { at: Date.now(), directory });
  directory.catch(() => cache.delete(key));
  return directory;
}
