import { z } from "zod";
import { KEY_TYPE_IDS } from "@/lib/protocol/x509/key-types";

export const CHALLENGE_METHODS = {
  "http-01-app": "HTTP-01, served by CertDeck (behind nginx)",
  "http-01-webroot": "HTTP-01, files in a webroot (like certbot --webroot)",
  "http-01-standalone": "HTTP-01, standalone listener (like certbot --standalone)",
  "dns-01": "DNS-01, TXT records through a DNS provider (needed for wildcards)",
  "tls-alpn-01": "TLS-ALPN-01, listener on port 443 (for IP addresses and hosts without port 80)",
} as const;
export type ChallengeMethod = keyof typeof CHALLENGE_METHODS;
const CHALLENGE_METHOD_IDS = Object.keys(CHALLENGE_METHODS) as [ChallengeMethod, ...ChallengeMethod[]];

/** The add-certificate form; names are checked further by lib/protocol/names/names.ts. */
export const createCertificateSchema = z.object({
  names: z.string().trim().min(1, "Enter at least one name").max(30_000, "Too much text: at most 100 names"),
  accountId: z.string().min(1, "Choose an ACME account"),
  keyType: z.enum(KEY_TYPE_IDS, { error: "Choose a key type" }),
  challengeMethod: z.enum(CHALLENGE_METHOD_IDS, { error: "Choose how to prove control of the names" }),
  webrootPath: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .transform((value) => value?.replace(/\/+$/, "") || undefined),
  /**
   * Per-name webroots, one "name /path" (or "name=/path") per line, like certbot's -w before -d.
   * Names not listed use webrootPath.
   */
  webrootPaths: z.string().max(20_000, "Too much text").optional().default(""),
  /** For dns-01: the DnsProvider that publishes the TXT records. */
  dnsProviderId: z.string().max(64).optional().transform((value) => value || undefined),
  /** ACME profile (when the CA advertises profiles); "" = the CA's default. */
  profile: z.string().max(64).regex(/^[A-Za-z0-9._-]*$/, "Choose a profile from the list").optional().transform((value) => value || undefined),
  /** "Keep the same private key on renewal" checkbox. */
  reuseKey: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
  /** The "issue even if the check fails" checkbox. */
  issueAnyway: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
}).superRefine((input, context) => {
  if (input.challengeMethod === "dns-01" && !input.dnsProviderId) {
    context.addIssue({ code: "custom", path: ["dnsProviderId"], message: "Choose the DNS provider that publishes the TXT records (add one under Settings → DNS providers)" });
  }
  if (input.challengeMethod !== "http-01-webroot") return;
  const perName = parseWebrootLines(input.webrootPaths);
  if (!perName.ok) {
    context.addIssue({ code: "custom", path: ["webrootPaths"], message: perName.error });
    return;
  }
  if (!input.webrootPath && Object.keys(perName.paths).length === 0) {
    context.addIssue({ code: "custom", path: ["webrootPath"], message: "Enter the web server's document root, e.g. /var/www/html" });
  } else if (input.webrootPath && !isSafeAbsolutePath(input.webrootPath)) {
    context.addIssue({ code: "custom", path: ["webrootPath"], message: "Enter an absolute path without \"..\", e.g. /var/www/html" });
  }
});

function isSafeAbsolutePath(value: string): boolean {
   
  return value.startsWith("/") && !value.split("/").includes("..") && !/[\u0000-\u001f\u007f]/.test(value);
}

/**
 * Parses per-name webroot lines ("shop.example.com /var/www/shop" or "name=/path"). Names are
 * compared in lower case; paths must be absolute without "..".
 */
export function parseWebrootLines(text: string): { ok: true; paths: Record<string, string> } | { ok: false; error: string } {
  const paths: Record<string, string> = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (!line) continue;
    const match = /^([^\s=]+)\s*(?:=|\s)\s*(\S.*)$/.exec(line);
    if (!match) return { ok: false, error: `Line ${index + 1}: write "name /path/to/webroot"` };
    const [, name, rawPath] = match;
    const webroot = rawPath.trim().replace(/\/+$/, "");
    if (!isSafeAbsolutePath(webroot)) return { ok: false, error: `Line ${index + 1}: enter an absolute path without "..", e.g. /var/www/shop` };
    paths[name.toLowerCase()] = webroot;
  }
  return { ok: true, paths };
}
export type CreateCertificateInput = z.input<typeof createCertificateSchema>;
export type CreateCertificateData = z.output<typeof createCertificateSchema>;

export const certificateIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/i, "invalid id");
