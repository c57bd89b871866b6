import { mkdir, readdir, readlink, rename, stat } from "node:fs/promises";
import path from "node:path";
import { replaceSymlink, writeFileAtomic } from "@/lib/protocol/lineage/atomic-write";
import { splitPemChain } from "@/lib/protocol/x509/x509";
import { AppError } from "@/lib/core/app-error";

/**
 * certbot's on-disk layout, so existing nginx configs keep working:
 *   archive/<name>/{cert,chain,fullchain,privkey}N.pem   every version, never rewritten
 *   live/<name>/{cert,chain,fullchain,privkey}.pem       relative symlinks to the newest version
 */
export const LINEAGE_FILES = ["cert", "chain", "fullchain", "privkey"] as const;
export type LineageFile = (typeof LINEAGE_FILES)[number];

export interface LineageVersion {
  version: number;
  chainPem: string;
  privateKeyPem: string;
}

/**
 * Directory name of a lineage: the certificate's name, with a wildcard's "*" spelled out and an
 * IPv6 address's colons written as hyphens ("2001:db8::1" → "2001-db8--1"): a colon in a path
 * breaks docker -v, scp and rsync arguments and download file names. No DNS name or IPv4 address
 * can collide with that spelling (it has no dot). IPv4 addresses stay as they are.
 */
export function lineageDirectoryName(certificateName: string): string {
  return certificateName.replace(/^\*\./, "_wildcard.").replaceAll(":", "-");
}

export function livePaths(certificatesDir: string, certificateName: string): Record<LineageFile, string> {
  const liveDir = path.join(certificatesDir, "live", lineageDirectoryName(certificateName));
  return Object.fromEntries(LINEAGE_FILES.map((file) => [file, path.join(liveDir, `${file}.pem`)])) as Record<LineageFile, string>;
}

export async function writeLineageVersion(
  certificatesDir: string,
  certificateName: string,
  { version, chainPem, privateKeyPem }: LineageVersion,
): Promise<void> {
  const dirName = lineageDirectoryName(certificateName);
  const archiveDir = path.join(certificatesDir, "archive", dirName);
  const liveDir = path.join(certificatesDir, "live", dirName);
  await mkdir(archiveDir, { recursive: true, mode: 0o700 });
  await mkdir(liveDir, { recursive: true, mode: 0o700 });

  const [leaf, ...intermediates] = splitPemChain(chainPem);
  const contents: Record<LineageFile, string> = {
    cert: leaf,
    chain: intermediates.join(""),
    fullchain: [leaf, ...intermediates].join(""),
    privkey: privateKeyPem.endsWith("\n") ? privateKeyPem : `${privateKeyPem}\n`,
  };
  // Side by side: nothing points at the new archive files until the links below change, so the
  // four writes (each flushed to disk before its rename) need not wait for each other.
  await Promise.all(
    LINEAGE_FILES.map((file) => writeFileAtomic(path.join(archiveDir, `${file}${version}.pem`), contents[file], file === "privkey" ? 0o600 : 0o644)),
  );
  await linkLive(dirName, liveDir, version);
}

/** archive/<name>/{cert,chain,fullchain,privkey}N.pem of one version. */
export function archivePaths(certificatesDir: string, certificateName: string, version: number): Record<LineageFile, string> {
  const archiveDir = path.join(certificatesDir, "archive", lineageDirectoryName(certificateName));
  return Object.fromEntries(LINEAGE_FILES.map((file) => [file, path.join(archiveDir, `${file}${version}.pem`)])) as Record<LineageFile, string>;
}

/** Versions in archive/<name>/ that have all four files, oldest first. */
export async function listArchivedVersions(certificatesDir: string, certificateName: string): Promise<number[]> {
  const entries = await readdir(path.join(certificatesDir, "archive", lineageDirectoryName(certificateName))).catch(() => [] as string[]);
  const countByVersion = new Map<number, number>();
  for (const entry of entries) {
    const match = /^(cert|chain|fullchain|privkey)([0-9]+)\.pem$/.exec(entry);
    if (match) countByVersion.set(Number(match[2]), (countByVersion.get(Number(match[2])) ?? 0) + 1);
  }
  return [...countByVersion]
    .filter(([, count]) => count === LINEAGE_FILES.length)
    .map(([version]) => version)
    .sort((a, b) => a - b);
}

/**
 * The version live/<name>/cert.pem points at (certbot's relative link "../../archive/<name>/certN.pem"),
 * or null when there is no such link or it points elsewhere.
 */
export async function readLiveVersion(certificatesDir: string, certificateName: string): Promise<number | null> {
  const target = await readlink(livePaths(certificatesDir, certificateName).cert).catch(() => null);
  const match = target === null ? null : /(?:^|\/)cert([0-9]+)\.pem$/.exec(target);
  return match ? Number(match[1]) : null;
}

/**
 * Points live/<name>/ at an archived version, e.g. to roll a deploy back. Each link is replaced
 * atomically (a reader sees the old or the new target, never none); the version's files must all
 * exist, so a rollback never leaves live/ pointing at nothing.
 */
export async function pointLiveAtVersion(certificatesDir: string, certificateName: string, version: number): Promise<void> {
  if (!(await listArchivedVersions(certificatesDir, certificateName)).includes(version)) {
    throw new AppError(
      "filesystem",
      `Version ${version} of ${certificateName} is not in ${path.join(certificatesDir, "archive", lineageDirectoryName(certificateName))}, so live/ cannot point at it.`,
    );
  }
  const dirName = lineageDirectoryName(certificateName);
  const liveDir = path.join(certificatesDir, "live", dirName);
  await mkdir(liveDir, { recursive: true, mode: 0o700 });
  await linkLive(dirName, liveDir, version);
}

async function linkLive(dirName: string, liveDir: string, version: number): Promise<void> {
  // The key first, the certificate last: a reader never pairs a new certificate with an old key
  // for longer than the four renames take.
  for (const file of ["privkey", "chain", "fullchain", "cert"] as const) {
    await replaceSymlink(path.join("..", "..", "archive", dirName, `${file}${version}.pem`), path.join(liveDir, `${file}.pem`));
  }
}

/**
 * Moves a deleted certificate's files aside to deleted/<timestamp>/{live,archive}/<name>/ instead
 * of destroying them, so they can be restored by hand; the relative live/ links stay valid there.
 */
export async function moveLineageAside(certificatesDir: string, certificateName: string, now = new Date()): Promise<string | null> {
  const dirName = lineageDirectoryName(certificateName);
  const destination = path.join(certificatesDir, "deleted", now.toISOString().replace(/[:.]/g, "-"));
  let moved = false;
  for (const tree of ["live", "archive"] as const) {
    const source = path.join(/*turbopackIgnore: true*/ certificatesDir, tree, dirName);
    if (!(await exists(source))) continue;
    await mkdir(path.join(destination, tree), { recursive: true, mode: 0o700 });
    await rename(source, path.join(destination, tree, dirName));
    moved = true;
  }
  return moved ? destination : null;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
