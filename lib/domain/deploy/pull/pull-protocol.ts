import { z } from "zod";
import { bearerTokenOf, generateApiToken, hashApiToken, isWellFormedApiToken } from "@/lib/domain/api-tokens/api-token";
import { splitPemChain } from "@/lib/protocol/x509/x509";
import { keysOf } from "@/lib/core/keys-of";

/**
 * The pull deploy target's wire protocol, pure: tokens, scopes, the files, the manifest the agent
 * reads (agent/certdeck-pull), ETags and the agent's report. No database, no framework.
 *
 *   GET  /api/pull/v1/manifest              key=value lines: version, etag, files …
 *   GET  /api/pull/v1/files/<file>?version=N one file of the current version
 *   POST /api/pull/v1/report                 version, status (installed | failed), message
 *
 * Every request carries the puller's token ("Authorization: Bearer cdp_…"); the token names the
 * certificate, so no request can name another one.
 */

/** Pull tokens: the API tokens' shape and hashing with their own prefix, so neither works as the other. */
export const PULL_TOKEN_PREFIX = "cdp_";

export function generatePullToken(): { token: string; tokenHash: string; prefix: string } {
  return generateApiToken(PULL_TOKEN_PREFIX);
}

export function isWellFormedPullToken(text: string): boolean {
  return isWellFormedApiToken(text, PULL_TOKEN_PREFIX);
}

export { bearerTokenOf, hashApiToken as hashPullToken };

/** The files a puller may fetch, in the order the agent installs them. */
export const PULL_FILES = ["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"] as const;
export type PullFile = (typeof PULL_FILES)[number];

export const PULL_SCOPES = {
  certificate: {
    label: "Certificate only",
    description: "cert.pem, chain.pem and fullchain.pem: for machines that only need to trust or pin the certificate, or keep their own key.",
  },
  "certificate-and-key": {
    label: "Certificate and key",
    description: "The certificate files and privkey.pem: for the machine that serves TLS with this certificate.",
  },
} as const;
export type PullScope = keyof typeof PULL_SCOPES;
export const PULL_SCOPE_IDS = keysOf(PULL_SCOPES);

export function isPullFile(name: string): name is PullFile {
  return (PULL_FILES as readonly string[]).includes(name);
}

/** The files a scope may fetch: the certificate-only scope never gets privkey.pem. */
export function filesOfScope(scope: PullScope): PullFile[] {
  return PULL_FILES.filter((file) => file !== "privkey.pem" || scope === "certificate-and-key");
}

/** DeployTarget.config of a pull target. */
export const pullConfigSchema = z.object({
  scope: z.enum(PULL_SCOPE_IDS),
  reloadHint: z.string().optional(),
});
export type PullConfig = z.infer<typeof pullConfigSchema>;

/** The stored config, or null when it is not a pull config (a broken row is refused, never widened). */
export function parsePullConfig(json: string): PullConfig | null {
  try {
    const parsed = pullConfigSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The strong ETag of a version: its number and its leaf's SHA-256 (the first 128 bits), so a
 * re-issued version 2 of a recreated certificate never looks like the old one. Every resource of
 * the puller API for that version carries it; a new version changes it.
 */
export function versionEtag(version: number, fingerprintSha256: string): string {
  const hex = fingerprintSha256.replaceAll(":", "").toLowerCase();
  return `"v${version}-${hex.slice(0, 32)}"`;
}

/**
 * Whether an If-None-Match header matches `etag` (RFC 9110 13.1.2: "*" or a list of entity tags,
 * compared weakly, so W/"x" matches "x").
 */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const text = header.trim();
  if (text === "*") return true;
  const wanted = etag.replace(/^W\//, "");
  const tags = text.match(/(?:W\/)?"[^"]*"/g) ?? [];
  return tags.some((tag) => tag.replace(/^W\//, "") === wanted);
}

/** The content of one file, exactly as certbot's live/ files (lib/protocol/lineage) hold them. */
export function pullFileContent(file: PullFile, chainPem: string, privateKeyPem: string | null): string {
  const [leaf, ...intermediates] = splitPemChain(chainPem);
  switch (file) {
    case "cert.pem":
      return leaf;
    case "chain.pem":
      return intermediates.join("");
    case "fullchain.pem":
      return [leaf, ...intermediates].join("");
    case "privkey.pem":
      if (privateKeyPem === null) throw new Error("privkey.pem needs the private key");
      return privateKeyPem.endsWith("\n") ? privateKeyPem : `${privateKeyPem}\n`;
  }
}

export interface ManifestInput {
  certificate: string;
  version: number;
  etag: string;
  fingerprintSha256: string;
  notAfter: Date;
  scope: PullScope;
  puller: string;
}

/**
 * The manifest: "key=value" lines a POSIX shell reads with sed (no jq), a comment first. Values
 * never hold a line break; keys are lower-case. Clients ignore keys they do not know, so keys
 * can be added without a new format number.
 */
export function formatManifest(input: ManifestInput): string {
  const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]/g, "");
  const lines: [string, string][] = [
    ["format", "1"],
    ["certificate", oneLine(input.certificate)],
    ["puller", oneLine(input.puller)],
    ["version", String(input.version)],
    ["etag", input.etag],
    ["fingerprint_sha256", input.fingerprintSha256],
    ["not_after", input.notAfter.toISOString()],
    ["scope", input.scope],
    ["files", filesOfScope(input.scope).join(" ")],
  ];
  return `# CertDeck pull manifest: key=value lines (agent/README.md)\n${lines.map(([key, value]) => `${key}=${value}`).join("\n")}\n`;
}

/** Reads a manifest back (the tests and any client written in JS); later keys win. */
export function parseManifest(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([a-z_][a-z0-9_]*)=(.*)$/.exec(line);
    if (match) entries[match[1]] = match[2];
  }
  return entries;
}

/** The last lines of the reload's output are kept with a failed report; this many characters at most. */
export const REPORT_MESSAGE_LIMIT = 4000;

/** What the agent reports after installing (form-encoded by curl --data-urlencode, or JSON). */
export const pullReportSchema = z.object({
  version: z.coerce
    .number({ error: "Give the version the agent installed" })
    .int("Give the version as a whole number")
    .min(1, "Versions start at 1")
    .max(1_000_000, "Not a version"),
  status: z.enum(["installed", "failed"], { error: 'Give the status: "installed" or "failed"' }),
  message: z
    .string()
    .optional()
    .transform((text) => {
      const trimmed = (text ?? "").replace(/\r/g, "").trim();
      return trimmed.length > REPORT_MESSAGE_LIMIT ? `…${trimmed.slice(-REPORT_MESSAGE_LIMIT)}` : trimmed;
    }),
});
export type PullReport = z.output<typeof pullReportSchema>;
