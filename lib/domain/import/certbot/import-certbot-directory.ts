import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { KeyType } from "@/lib/protocol/x509/key-types";
import { lineageDirectoryName, writeLineageVersion } from "@/lib/protocol/lineage/lineage-files";
import { serializeIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { storeCertificateVersion } from "@/lib/domain/certificates/store-version";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { getSetting } from "@/lib/data/settings";
import { certificatesDir } from "@/lib/core/env";
import { AppError } from "@/lib/core/app-error";
import { readCertbotDirectory, type ReadableCertbotLineage } from "@/lib/domain/import/certbot/read-certbot-directory";
import { encryptSecret } from "@/lib/data/secret-box";
import { directoryLookupSchema } from "@/lib/domain/accounts/account.validation";
import { accountNameOptions, accountNetwork } from "@/lib/domain/network/account-network";
import { identifierLabel, namePolicyError } from "@/lib/protocol/names/names";
import { checkOutboundUrl } from "@/lib/protocol/net/outbound-url";
import { defineCommand } from "@/lib/domain/command/define-command";

export interface ImportedCertbotLineage {
  certificateId: string;
  name: string;
  names: string[];
  notAfter: Date;
  challengeMethod: "http-01-standalone" | "http-01-webroot";
  webrootPath: string | null;
  keyType: KeyType;
  preHook: string | null;
  postHook: string | null;
  deployHook: string | null;
  accountLabel: string;
  /** Differences between how certbot renewed it and how CertDeck will, in plain words. */
  notes: string[];
}

export interface SkippedCertbotLineage {
  name: string;
  reason: string;
}

export interface CertbotImportResult {
  /** The directory read, as an absolute path (stored as each certificate's importedFrom). */
  directory: string;
  imported: ImportedCertbotLineage[];
  skipped: SkippedCertbotLineage[];
  /** Findings about the whole directory (e.g. certbot's directory hooks), in plain words. */
  notices: string[];
}

interface ImportCertbotOptions {
  /**
   * PEM bundle trusted for the CA's HTTPS, given to accounts this import creates (a private CA;
   * certbot itself trusted it through REQUESTS_CA_BUNDLE). Without it, a new account copies the
   * bundle of another CertDeck account on the same directory, if any.
   */
  caBundlePem?: string | null;
  /**
   * For accounts this import creates: "This CA is on my private network or this machine"
   * (lib/domain/network/account-network.ts). An existing account keeps its own choice.
   */
  privateNetwork?: boolean;
}

const ALREADY_MANAGED = "already managed by CertDeck";

const importCertbotInput = z.strictObject({
  directory: z
    .string({ error: "Enter certbot's directory, usually /etc/letsencrypt" })
    .trim()
    .min(1, "Enter certbot's directory, usually /etc/letsencrypt")
    .max(4096, "That path is too long")
    .refine((value) => !value.includes("\0"), "That path holds a NUL character")
    .refine((value) => path.isAbsolute(value), "Enter an absolute path, starting with /, such as /etc/letsencrypt"),
  caBundlePem: directoryLookupSchema.shape.caBundlePem,
  privateNetwork: directoryLookupSchema.shape.privateNetwork,
});

/**
 * Takes over the lineages of a certbot configuration directory: for each readable one, the ACME
 * account (found by directory and account URL, else created from certbot's key), the certificate
 * with certbot's challenge method, hooks and key type, and version 1 from certbot's current
 * certificate and key, all in one transaction; then CertDeck's own live/<name>/ files. Reads
 * local files and writes the database only (no ACME request), so it runs inside the request
 * rather than as a job. One bad lineage never stops the others: it is listed as skipped, with
 * the reason: among them a CA or names the account may not use (a loopback or private address
 * without "This CA is on my private network", lib/domain/network/account-network.ts). The
 * certbot directory is not changed. Audited as "certificate.import".
 */
export const importCertbotDirectory = defineCommand(
  { name: "certificate.import", permission: "write", does: "import certificates", input: importCertbotInput },
  async ({ directory, caBundlePem, privateNetwork }, context): Promise<CertbotImportResult> => {
    const result = await importDirectory(directory, { caBundlePem, privateNetwork });
    await context.audit({ target: result.directory, detail: { imported: result.imported.length, skipped: result.skipped.length } });
    return result;
  },
);

async function importDirectory(dir: string, options: ImportCertbotOptions): Promise<CertbotImportResult> {
  const root = path.resolve(/*turbopackIgnore: true*/ dir);
  if (await isSameDirectory(root, certificatesDir())) {
    throw new AppError(
      "invalid_input",
      `CertDeck writes its own certificates to ${certificatesDir()}, so it cannot import from there: copy the certbot directory elsewhere and import the copy, or point CERTDECK_CERTS_DIR at another directory.`,
    );
  }
  const read = await readCertbotDirectory(root);
  const standalonePort = await getSetting("standalonePort");
  const result: CertbotImportResult = { directory: read.directory, imported: [], skipped: [], notices: [] };

  for (const name of read.lineageNames) {
    try {
      result.imported.push(await importLineage(await read.readLineage(name), read.directory, options, standalonePort));
    } catch (error) {
      if (!(error instanceof AppError)) console.error(`[certdeck] importing certbot lineage ${name} from ${read.directory} failed`, error);
      result.skipped.push({ name, reason: error instanceof AppError ? error.userMessage : "it could not be stored; the server log has the details" });
    }
  }

  if (read.directoryHooks.length > 0) {
    result.notices.push(
      `certbot also ran ${read.directoryHooks.join(", ")} at every renewal. CertDeck does not run these scripts: give the certificates that still need them a hook of their own.`,
    );
  }
  return result;
}

async function isSameDirectory(a: string, b: string): Promise<boolean> {
  if (path.resolve(a) === path.resolve(b)) return true;
  const [realA, realB] = await Promise.all([realpath(a).catch(() => null), realpath(b).catch(() => null)]);
  return realA !== null && realA === realB;
}

async function importLineage(
  lineage: ReadableCertbotLineage,
  directory: string,
  options: ImportCertbotOptions,
  standalonePort: number,
): Promise<ImportedCertbotLineage> {
  if (await db.certificate.findUnique({ where: { name: lineage.name }, select: { id: true } })) throw new AppError("conflict", ALREADY_MANAGED);
  // Files another program left in CertDeck's tree must not be overwritten by version 1.
  const archiveDir = path.join(/*turbopackIgnore: true*/ certificatesDir(), "archive", lineageDirectoryName(lineage.name));
  if (
    await stat(archiveDir).then(
      () => true,
      () => false,
    )
  ) {
    throw new AppError("conflict", `${archiveDir} already exists, but CertDeck has no certificate of that name: move that directory away, then import again`);
  }

  let stored: { certificateId: string; accountId: string; accountLabel: string; isNewAccount: boolean };
  try {
    stored = await db.$transaction(async (tx) => {
      const account = await findOrCreateAccount(tx, lineage, options);
      assertAccountMayRenew(lineage, account);
      const certificate = await tx.certificate.create({
        data: {
          name: lineage.name,
          identifiers: serializeIdentifiers(lineage.identifiers),
          keyType: lineage.keyType,
          challengeMethod: lineage.challengeMethod,
          webrootPath: lineage.webrootPath,
          status: "valid",
          accountId: account.id,
          preHook: lineage.preHook,
          postHook: lineage.postHook,
          deployHook: lineage.deployHook,
          renewBeforeDays: lineage.renewBeforeDays,
          importedFrom: directory,
        },
        select: { id: true },
      });
      // What certbot installed is what services serve today: it counts as deployed.
      await storeCertificateVersion(tx, certificate.id, lineage.chainPem, lineage.privateKeyPem, { deployStatus: "deployed" });
      return { certificateId: certificate.id, accountId: account.id, accountLabel: account.label, isNewAccount: account.isNew };
    });
  } catch (error) {
    // Another import of the same name committed first.
    if (isUniqueViolation(error)) throw new AppError("conflict", ALREADY_MANAGED, { cause: error });
    throw error;
  }

  try {
    await writeLineageVersion(certificatesDir(), lineage.name, { version: 1, chainPem: lineage.chainPem, privateKeyPem: lineage.privateKeyPem });
  } catch (error) {
    await forgetImportedCertificate(stored);
    throw new AppError(
      "filesystem",
      `its files could not be written under ${certificatesDir()} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      {
        cause: error,
      },
    );
  }

  return {
    certificateId: stored.certificateId,
    name: lineage.name,
    names: lineage.identifiers.map((identifier) => identifier.value),
    notAfter: lineage.notAfter,
    challengeMethod: lineage.challengeMethod,
    webrootPath: lineage.webrootPath,
    keyType: lineage.keyType,
    preHook: lineage.preHook,
    postHook: lineage.postHook,
    deployHook: lineage.deployHook,
    accountLabel: stored.accountLabel,
    notes: [...lineage.notes, ...portNotes(lineage, standalonePort)],
  };
}

async function findOrCreateAccount(
  tx: Prisma.TransactionClient,
  lineage: ReadableCertbotLineage,
  options: ImportCertbotOptions,
): Promise<{ id: string; label: string; isNew: boolean; privateNetwork: boolean }> {
  const { account } = lineage;
  const existing = await tx.acmeAccount.findFirst({
    where: { directoryUrl: account.directoryUrl, accountUrl: account.accountUrl },
    orderBy: { createdAt: "asc" },
    select: { id: true, label: true, privateNetwork: true },
  });
  if (existing) return { ...existing, isNew: false };
  const caBundlePem =
    options.caBundlePem ??
    (
      await tx.acmeAccount.findFirst({
        where: { directoryUrl: account.directoryUrl, caBundlePem: { not: null } },
        orderBy: { createdAt: "asc" },
        select: { caBundlePem: true },
      })
    )?.caBundlePem ??
    null;
  const created = await tx.acmeAccount.create({
    data: {
      label: `${new URL(account.directoryUrl).host} (imported from certbot)`,
      directoryUrl: account.directoryUrl,
      email: account.email ?? "",
      accountKeyEnc: encryptSecret(account.privateKeyPem),
      accountUrl: account.accountUrl,
      status: "valid",
      termsAgreedAt: new Date(),
      caBundlePem,
      privateNetwork: options.privateNetwork ?? false,
    },
    select: { id: true, label: true, privateNetwork: true },
  });
  return { ...created, isNew: true };
}

/**
 * The account's CA must be one CertDeck connects to, and the names ones its certificates may
 * carry, under the account's network choice; else the lineage is skipped (the transaction, and
 * a new account with it, is rolled back).
 */
function assertAccountMayRenew(lineage: ReadableCertbotLineage, account: { privateNetwork: boolean }): void {
  try {
    checkOutboundUrl(lineage.account.directoryUrl, accountNetwork(account));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new AppError("invalid_input", `its CA cannot be reached from CertDeck: ${error.userMessage}`, { cause: error });
  }
  for (const identifier of lineage.identifiers) {
    const refused = namePolicyError(identifier, accountNameOptions(account));
    if (refused) throw new AppError("invalid_input", `CertDeck cannot renew its names: "${identifierLabel(identifier)}": ${refused}`);
  }
}

/** Undoes a stored import whose files could not be written (and its account, if it brought it). */
async function forgetImportedCertificate(stored: { certificateId: string; accountId: string; isNewAccount: boolean }): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.certificate.update({ where: { id: stored.certificateId }, data: { currentVersionId: null } });
    await tx.certificateVersion.deleteMany({ where: { certificateId: stored.certificateId } });
    await tx.certificate.delete({ where: { id: stored.certificateId } });
    if (stored.isNewAccount && (await tx.certificate.count({ where: { accountId: stored.accountId } })) === 0) {
      await tx.acmeAccount.delete({ where: { id: stored.accountId } });
    }
  });
}

function portNotes(lineage: ReadableCertbotLineage, standalonePort: number): string[] {
  if (lineage.challengeMethod !== "http-01-standalone") return [];
  const certbotPort = lineage.http01Port ?? 80;
  if (certbotPort === standalonePort) return [];
  return [`certbot listened on port ${certbotPort}; CertDeck's standalone listener uses port ${standalonePort}, set in Settings.`];
}
