import { X509Certificate, createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { lstat, readFile, readdir, readlink, stat } from "node:fs/promises";
import path from "node:path";
import type { KeyType } from "@/lib/protocol/x509/key-types";
import { splitPemChain } from "@/lib/protocol/x509/x509";
import { AppError } from "@/lib/core/app-error";
import { parseRenewalConf, planChallenge, renewBeforeDaysOf, type RenewalConf } from "@/lib/domain/import/certbot/renewal-conf";
import { LAB_NAME_OPTIONS, parseNames, type Identifier } from "@/lib/protocol/names/names";

/**
 * Reads a certbot configuration directory (laid out like /etc/letsencrypt) without changing it:
 * every `renewal/<name>.conf`, the lineage's current certificate and key behind `live/<name>/`,
 * and the ACME account under `accounts/<server host and path>/<account id>/`. Each lineage is
 * read on its own: readable (everything CertDeck needs to take it over), or an AppError saying why
 * not in plain words; one broken lineage never hides the others.
 */

export interface CertbotAccount {
  /** certbot's account id (the account's directory name). */
  id: string;
  directoryUrl: string;
  accountUrl: string;
  privateKeyPem: string;
  /** From the registration's contact, when certbot kept it (2.x usually does not). */
  email: string | null;
}

export interface ReadableCertbotLineage {
  name: string;
  /** The certificate's names (SANs), the lineage's name first when it is one of them. */
  identifiers: Identifier[];
  /** Leaf first, then the intermediates. */
  chainPem: string;
  privateKeyPem: string;
  keyType: KeyType;
  notAfter: Date;
  challengeMethod: "http-01-standalone" | "http-01-webroot";
  webrootPath: string | null;
  preHook: string | null;
  postHook: string | null;
  deployHook: string | null;
  /** certbot's --http-01-port for standalone, when it was not the default. */
  http01Port: number | null;
  renewBeforeDays: number | null;
  account: CertbotAccount;
  /** Differences between how certbot and CertDeck will renew it, in plain words. */
  notes: string[];
}

export interface CertbotDirectory {
  /** The directory read, as an absolute path. */
  directory: string;
  /** The lineages' names (from renewal/<name>.conf), sorted. */
  lineageNames: string[];
  /** Reads one lineage; AppError saying why it cannot be taken over. */
  readLineage(name: string): Promise<ReadableCertbotLineage>;
  /** Scripts under renewal-hooks/{pre,deploy,post}/ that certbot ran for every lineage. */
  directoryHooks: string[];
}

/** Where certbot keeps its files when --config-dir is not given (then renewal confs omit config_dir). */
const CERTBOT_DEFAULT_CONFIG_DIR = "/etc/letsencrypt";
const PERMISSION_HINT = "permission denied: run CertDeck as root or copy the directory";
/** certbot also looks for accounts of these servers in the older server's directory. */
const LE_REUSE_SERVERS: Record<string, string> = {
  "acme-v02.api.letsencrypt.org/directory": "acme-v01.api.letsencrypt.org/directory",
  "acme-staging-v02.api.letsencrypt.org/directory": "acme-staging.api.letsencrypt.org/directory",
};
/** Let's Encrypt ACME v1 registration URLs and the v2 account URL of the same account. */
const LE_V1_ACCOUNT_URLS: Array<[RegExp, string]> = [
  [/^https:\/\/acme-v01\.api\.letsencrypt\.org\/acme\/reg\/(\d+)$/, "https://acme-v02.api.letsencrypt.org/acme/acct/$1"],
  [/^https:\/\/acme-staging\.api\.letsencrypt\.org\/acme\/reg\/(\d+)$/, "https://acme-staging-v02.api.letsencrypt.org/acme/acct/$1"],
];
/** A lineage name becomes a directory name in CertDeck's own live/ and archive/. */
const SAFE_LINEAGE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,252}$/;
const SAFE_ACCOUNT_ID = /^[A-Za-z0-9_-]{1,128}$/;

export async function readCertbotDirectory(directory: string): Promise<CertbotDirectory> {
  const root = path.resolve(/*turbopackIgnore: true*/ directory);
  const renewalDir = path.join(root, "renewal");
  const rootStat = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw directoryError(error, root);
  });
  if (!rootStat.isDirectory()) throw new AppError("invalid_input", `${root} is not a directory.`);
  const entries = await readdir(renewalDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") {
      throw new AppError(
        "invalid_input",
        `${root} has no renewal/ directory, so it is not a certbot configuration directory (certbot's is usually /etc/letsencrypt).`,
      );
    }
    throw directoryError(error, renewalDir);
  });
  const confFiles = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(".conf"))
    .map((entry) => entry.name)
    .sort();

  // One read per account directory, shared by the lineages that use it.
  const accounts = new Map<string, Promise<CertbotAccount>>();
  return {
    directory: root,
    lineageNames: confFiles.map((confFile) => confFile.slice(0, -".conf".length)),
    readLineage: (name) =>
      readLineage(root, name, accounts).catch((error: unknown) => {
        throw error instanceof AppError ? error : new AppError("filesystem", `it could not be read (${(error as Error).message})`, { cause: error });
      }),
    directoryHooks: await listDirectoryHooks(root),
  };
}

/** Why a lineage cannot be taken over, in plain words. */
const cannotImport = (reason: string) => new AppError("invalid_input", reason);

function directoryError(error: NodeJS.ErrnoException, file: string): AppError {
  if (error.code === "ENOENT") return new AppError("invalid_input", `${file} does not exist.`);
  if (error.code === "EACCES" || error.code === "EPERM") return new AppError("filesystem", `${file} is not readable (${PERMISSION_HINT}).`);
  if (error.code === "ENOTDIR") return new AppError("invalid_input", `${file} is not a directory.`);
  return new AppError("filesystem", `${file} could not be read (${error.code ?? error.message}).`, { cause: error });
}

async function readLineage(root: string, name: string, accounts: Map<string, Promise<CertbotAccount>>): Promise<ReadableCertbotLineage> {
  const confName = `renewal/${name}.conf`;
  const fail = (reason: string) => cannotImport(reason);
  if (!SAFE_LINEAGE_NAME.test(name) || name.includes("..")) {
    throw fail(`its name cannot be used as a directory name (only letters, digits, ".", "-" and "_")`);
  }

  let conf: RenewalConf;
  try {
    conf = parseRenewalConf(await readFile(path.join(root, "renewal", `${name}.conf`), "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") throw fail(`${confName} is not readable (${PERMISSION_HINT})`);
    throw fail(`${confName} cannot be read: ${(error as Error).message}`);
  }

  const files = lineageFiles(root, name, conf);
  const [leafPem] = splitPemChain(await readLineageFile(root, confName, files.cert, "cert.pem"));
  let leaf: X509Certificate;
  try {
    if (!leafPem) throw new Error("no PEM certificate");
    leaf = new X509Certificate(leafPem);
  } catch {
    throw fail(`${shown(root, files.cert)} holds no readable PEM certificate`);
  }

  const sanValues = subjectAltNames(leaf);
  if (sanValues.length === 0) throw fail("its certificate lists no DNS names or IP addresses");
  const plan = planChallenge(conf, sanValues);
  // The lineage's own name first, so it stays the certificate's first identifier.
  const ordered = sanValues.includes(name.toLowerCase()) ? [name.toLowerCase(), ...sanValues.filter((value) => value !== name.toLowerCase())] : sanValues;
  // Loopback and private addresses depend on the account the lineage ends up with: the importer
  // checks them against it (lib/domain/network/account-network.ts); everything else is refused here.
  const names = parseNames(ordered, { challengeMethod: "http-01-standalone", ...LAB_NAME_OPTIONS });
  if (!names.ok) throw fail(`CertDeck cannot renew its names: ${names.errors.join("; ")}`);

  const keyText = await readLineageFile(root, confName, files.privkey, "privkey.pem", "the private key");
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch {
    throw fail(`${shown(root, files.privkey)} holds no readable (unencrypted PEM) private key`);
  }
  if (!leaf.checkPrivateKey(key)) throw fail(`${shown(root, files.privkey)} is not the key of ${shown(root, files.cert)}`);
  const keyType = keyTypeOf(key);

  let intermediates: string[];
  try {
    intermediates = splitPemChain(await readLineageFile(root, confName, files.chain, "chain.pem"));
  } catch (chainError) {
    // Without chain.pem, fullchain.pem holds the intermediates after the leaf; without both, chain.pem's problem is the one to fix.
    const fullchainText = await readLineageFile(root, confName, files.fullchain, "fullchain.pem").catch(() => {
      throw chainError;
    });
    intermediates = splitPemChain(fullchainText).slice(1);
  }

  if (!conf.account) throw fail(`${confName} names no ACME account`);
  const accountDirs = accountDirectories(root, conf.server, conf.account);
  const cacheKey = accountDirs.join("\n");
  if (!accounts.has(cacheKey)) accounts.set(cacheKey, readAccount(root, conf.server, conf.account, accountDirs));
  const account = await accounts.get(cacheKey)!;

  return {
    name,
    identifiers: names.identifiers,
    chainPem: [leafPem, ...intermediates].join(""),
    privateKeyPem: keyText.endsWith("\n") ? keyText : `${keyText}\n`,
    keyType,
    notAfter: new Date(leaf.validTo),
    challengeMethod: plan.method,
    webrootPath: plan.webrootPath,
    preHook: conf.preHook ?? null,
    postHook: conf.postHook ?? null,
    deployHook: conf.deployHook ?? null,
    http01Port: plan.method === "http-01-standalone" ? (conf.http01Port ?? null) : null,
    renewBeforeDays: renewBeforeDaysOf(conf),
    account,
    notes: notesFor(conf),
  };
}

type LineageFile = "cert" | "privkey" | "chain" | "fullchain";

/**
 * Where the lineage's files are. The conf holds absolute paths under certbot's config dir at the
 * time; they are taken relative to the directory being imported, so a copy of /etc/letsencrypt
 * elsewhere reads its own files. A path outside certbot's config dir is used as written.
 */
function lineageFiles(root: string, name: string, conf: RenewalConf): Record<LineageFile, string> {
  const configDir = path.resolve(/*turbopackIgnore: true*/ conf.configDir ?? CERTBOT_DEFAULT_CONFIG_DIR);
  const resolve = (file: LineageFile): string => {
    const written = conf.paths[file];
    if (!written) return path.join(root, "live", name, `${file}.pem`);
    if (!path.isAbsolute(written)) return path.resolve(root, written);
    const relative = path.relative(configDir, path.normalize(written));
    if (relative && !relative.startsWith("..") && !path.isAbsolute(relative)) return path.join(root, relative);
    return written;
  };
  return { cert: resolve("cert"), privkey: resolve("privkey"), chain: resolve("chain"), fullchain: resolve("fullchain") };
}

/** A path as the operator knows it: relative to the imported directory when inside it. */
function shown(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

async function readLineageFile(root: string, confName: string, file: string, fileLabel: string, what?: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      throw new AppError("filesystem", `${what ?? shown(root, file)} is not readable (${PERMISSION_HINT})`);
    }
    if (code === "ENOENT") {
      const link = await lstat(file).then(
        async (info) => (info.isSymbolicLink() ? readlink(file) : null),
        () => null,
      );
      if (link) throw cannotImport(`${shown(root, file)} links to ${link}, which does not exist`);
      throw cannotImport(`${confName} points at ${shown(root, file)}, which does not exist`);
    }
    throw new AppError("filesystem", `${shown(root, file)} (${fileLabel}) could not be read (${code ?? (error as Error).message})`);
  }
}

/** DNS names and IP addresses from the certificate's subjectAltName, in certificate order. */
function subjectAltNames(certificate: X509Certificate): string[] {
  const values: string[] = [];
  for (const entry of (certificate.subjectAltName ?? "").split(", ")) {
    const match = /^(DNS|IP Address):(.+)$/.exec(entry.trim());
    if (match) values.push(match[1] === "DNS" ? match[2].toLowerCase() : match[2]);
  }
  return [...new Set(values)];
}

/** The key's CertDeck key type; AppError naming the key when CertDeck does not issue that kind. */
function keyTypeOf(key: KeyObject): KeyType {
  const details = key.asymmetricKeyDetails ?? {};
  const unsupported = (description: string) =>
    cannotImport(`its key is ${description}, which CertDeck does not issue (it supports ECDSA P-256 and P-384, RSA 2048, 3072 and 4096)`);
  if (key.asymmetricKeyType === "ec") {
    if (details.namedCurve === "prime256v1") return "ec-p256";
    if (details.namedCurve === "secp384r1") return "ec-p384";
    throw unsupported(`ECDSA on the curve ${details.namedCurve ?? "unknown"}`);
  }
  if (key.asymmetricKeyType === "rsa") {
    const bits = details.modulusLength;
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}`;
    throw unsupported(`RSA ${bits ?? "of unknown size"}`);
  }
  throw unsupported(`of type ${key.asymmetricKeyType ?? "unknown"}`);
}

/**
 * certbot's account directories for a server: accounts/<host[:port]><path>/<account id>, as
 * Python's urlparse splits the URL (netloc + path), then the older Let's Encrypt server's.
 */
function accountDirectories(root: string, server: string, accountId: string): string[] {
  if (!SAFE_ACCOUNT_ID.test(accountId)) throw cannotImport(`its account id "${accountId}" is not a certbot account id`);
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#;]*)/i.exec(server);
  if (!match) throw cannotImport(`its server "${server}" is not a URL`);
  const accountsDir = path.join(root, "accounts");
  const serverPaths = [match[1] + match[2]];
  if (Object.hasOwn(LE_REUSE_SERVERS, serverPaths[0])) serverPaths.push(LE_REUSE_SERVERS[serverPaths[0]]);
  const dirs = serverPaths.map((serverPath) => path.join(accountsDir, serverPath, accountId));
  if (dirs.some((dir) => !dir.startsWith(accountsDir + path.sep))) throw cannotImport(`its server "${server}" does not name an accounts/ directory`);
  return dirs;
}

async function readAccount(root: string, server: string, accountId: string, dirs: string[]): Promise<CertbotAccount> {
  const unreadableKey = () => new AppError("filesystem", `the ACME account key is not readable (${PERMISSION_HINT})`);
  let dir: string | undefined;
  for (const candidate of dirs) {
    const info = await stat(candidate).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code === "EACCES" || info.code === "EPERM") throw unreadableKey();
      continue;
    }
    if (info.isDirectory()) {
      dir = candidate;
      break;
    }
  }
  if (!dir) throw cannotImport(`its ACME account ${accountId} is not in ${shown(root, path.dirname(dirs[0]))}/`);
  const accountDir = dir;

  const readJson = async (file: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(path.join(accountDir, file), "utf8"));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EPERM") throw unreadableKey();
      if (code === "ENOENT") throw cannotImport(`the ACME account's ${shown(root, path.join(accountDir, file))} does not exist`);
      throw cannotImport(`the ACME account's ${shown(root, path.join(accountDir, file))} is not valid JSON`);
    }
  };

  const jwk = await readJson("private_key.json");
  let privateKeyPem: string;
  try {
    privateKeyPem = createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" })
      .export({ type: "pkcs8", format: "pem" })
      .toString();
  } catch {
    throw cannotImport(`the ACME account's ${shown(root, path.join(accountDir, "private_key.json"))} holds no usable private key`);
  }

  const registration = ((await readJson("regr.json")) ?? {}) as { uri?: unknown; body?: { contact?: unknown } };
  if (typeof registration.uri !== "string" || !/^https?:\/\//.test(registration.uri)) {
    throw cannotImport(`the ACME account's ${shown(root, path.join(accountDir, "regr.json"))} has no account URL`);
  }
  let accountUrl = registration.uri;
  for (const [v1, v2] of LE_V1_ACCOUNT_URLS) accountUrl = accountUrl.replace(v1, v2);
  const contacts = Array.isArray(registration.body?.contact) ? registration.body.contact : [];
  const mailto = contacts.find((contact): contact is string => typeof contact === "string" && contact.startsWith("mailto:"));
  return { id: accountId, directoryUrl: server, accountUrl, privateKeyPem, email: mailto ? mailto.slice("mailto:".length) : null };
}

function notesFor(conf: RenewalConf): string[] {
  const notes: string[] = [];
  if (!conf.autorenew) notes.push("certbot did not renew it automatically (--no-autorenew); CertDeck will.");
  if (conf.reuseKey) notes.push("certbot kept the same private key at each renewal (--reuse-key); CertDeck makes a new key each time.");
  if (conf.installer && !conf.deployHook) {
    notes.push(
      `certbot's ${conf.installer} installer reloaded ${conf.installer} after each renewal; CertDeck does not: add a deploy hook such as “systemctl reload ${conf.installer}”.`,
    );
  }
  if (conf.preferredChain) notes.push(`certbot asked for the chain issued by “${conf.preferredChain}”; CertDeck takes the CA's default chain.`);
  if (conf.mustStaple) notes.push("certbot requested OCSP Must-Staple; CertDeck's renewals do not.");
  return notes;
}

/** certbot runs every executable file in renewal-hooks/{pre,deploy,post}/ for every lineage. */
async function listDirectoryHooks(root: string): Promise<string[]> {
  const hooks: string[] = [];
  for (const kind of ["pre", "deploy", "post"] as const) {
    const dir = path.join(root, "renewal-hooks", kind);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (info?.isFile() && (info.mode & 0o111) !== 0 && !name.endsWith("~")) hooks.push(`renewal-hooks/${kind}/${name}`);
    }
  }
  return hooks;
}
