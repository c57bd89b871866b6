import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { KEY_TYPE_IDS } from "@/lib/protocol/x509/key-types";
import { keysOf } from "@/lib/core/keys-of";

export const CHALLENGE_METHODS = {
  "http-01-app": "HTTP-01, served by CertDeck (behind nginx)",
  "http-01-webroot": "HTTP-01, files in a webroot (like certbot --webroot)",
  "http-01-standalone": "HTTP-01, standalone listener (like certbot --standalone)",
  "dns-01": "DNS-01, TXT records through a DNS provider (needed for wildcards)",
  "tls-alpn-01": "TLS-ALPN-01, listener on port 443 (for IP addresses and hosts without port 80)",
} as const;
export type ChallengeMethod = keyof typeof CHALLENGE_METHODS;
export const CHALLENGE_METHOD_IDS = keysOf(CHALLENGE_METHODS);

/** Paths CertDeck writes challenge files under: absolute, no "..", no control characters. */
export function isSafeAbsolutePath(value: string): boolean {
  return value.startsWith("/") && !value.split("/").includes("..") && !/[\u0000-\u001f\u007f]/.test(value);
}

/** "/var/www/html/" and "/var/www/html" are the same webroot. */
const withoutTrailingSlashes = (value: string) => value.replace(/\/+$/, "");

const nameEntry = z.string({ error: "Give each name as a string" }).regex(/^[^\s,]*$/, "Give one name per array entry (no spaces or commas)");

/**
 * How the CA checks control of the names, and what the order asks for: the part of a
 * certificate that the "Challenge settings" form changes later. Shared by the add command and the
 * challenge settings command, so both judge the same way.
 */
const challengeFields = {
  challengeMethod: z.enum(CHALLENGE_METHOD_IDS, { error: `Choose how to prove control of the names: one of ${CHALLENGE_METHOD_IDS.join(", ")}` }).meta({
    description: Object.entries(CHALLENGE_METHODS)
      .map(([id, label]) => `${id}: ${label}`)
      .join("; "),
  }),
  webrootPath: z
    .string({ error: "Give the document root as a string" })
    .trim()
    .max(1000, "At most 1000 characters")
    .optional()
    .transform((value) => (value ? withoutTrailingSlashes(value) : "") || undefined)
    .meta({ description: "For http-01-webroot: the web server's document root, e.g. /var/www/html." }),
  /** Per-name webroots (certbot's -w before -d); names not listed use webrootPath. */
  webrootPaths: z
    .record(
      z
        .string()
        .max(300, "A name has at most 253 characters")
        .regex(/^[^\s=]+$/, 'A name without spaces or "="'),
      z.string({ error: "Give each document root as a string" }).max(1000, "At most 1000 characters"),
      { error: 'Give the document roots as an object: {"shop.example.com": "/var/www/shop"}' },
    )
    .optional()
    .transform((paths) =>
      Object.fromEntries(Object.entries(paths ?? {}).map(([name, webroot]) => [name.toLowerCase(), withoutTrailingSlashes(webroot.trim())])),
    )
    .meta({ description: 'For http-01-webroot: a document root per name ({"shop.example.com": "/var/www/shop"}); names not listed use webrootPath.' }),
  dnsProviderId: z
    .string({ error: "Give the DNS provider's id as a string" })
    .max(64, "That DNS provider does not exist")
    .optional()
    .transform((value) => value || undefined)
    .meta({ description: "For dns-01: the DNS provider that publishes the TXT records." }),
  profile: z
    .string({ error: "Give the profile's name as a string" })
    .max(64, "Choose a profile from the list")
    .regex(/^[A-Za-z0-9._-]*$/, "Choose a profile from the list")
    .optional()
    .transform((value) => value || undefined)
    .meta({ description: "An ACME profile the CA advertises (e.g. Let's Encrypt's \"shortlived\"); omitted: the CA's default." }),
  reuseKey: z
    .boolean({ error: "Give reuseKey as true or false" })
    .default(false)
    .meta({ description: "Keep the same private key on renewal (for key pinning). Default: a fresh key each time." }),
};

type ChallengeFields = {
  challengeMethod: ChallengeMethod;
  webrootPath?: string;
  webrootPaths: Record<string, string>;
  dnsProviderId?: string;
};

/** The rules between the challenge fields: a DNS provider for dns-01, usable webroots for http-01-webroot. */
function checkChallengeFields(input: ChallengeFields, context: z.RefinementCtx): void {
  if (input.challengeMethod === "dns-01" && !input.dnsProviderId) {
    context.addIssue({
      code: "custom",
      path: ["dnsProviderId"],
      message: "Choose the DNS provider that publishes the TXT records (add one under Settings → DNS providers)",
    });
  }
  if (input.challengeMethod !== "http-01-webroot") return;
  for (const [name, webroot] of Object.entries(input.webrootPaths)) {
    if (!isSafeAbsolutePath(webroot)) {
      context.addIssue({ code: "custom", path: ["webrootPaths"], message: `${JSON.stringify(name)}: enter an absolute path without "..", e.g. /var/www/shop` });
    }
  }
  if (!input.webrootPath && Object.keys(input.webrootPaths).length === 0) {
    context.addIssue({ code: "custom", path: ["webrootPath"], message: "Enter the web server's document root, e.g. /var/www/html" });
  } else if (input.webrootPath && !isSafeAbsolutePath(input.webrootPath)) {
    context.addIssue({ code: "custom", path: ["webrootPath"], message: 'Enter an absolute path without "..", e.g. /var/www/html' });
  }
}

/**
 * Adding a certificate, as the dashboard's Add form (lib/web/certificate-form-input.ts converts
 * the form) and the REST API's POST /certificates (this very schema is its body) give it. The
 * names are checked further by lib/protocol/names/names.ts.
 */
export const createCertificateInputSchema = z
  .strictObject({
    names: z
      .union(
        [
          z.array(nameEntry).min(1, "Enter at least one name").max(1000, "At most 100 names"),
          z.string().trim().min(1, "Enter at least one name").max(30_000, "Too much text: at most 100 names"),
        ],
        { error: "Give the names as an array of strings, or as one string separated by spaces, commas or new lines" },
      )
      .meta({ description: "DNS names (wildcards only with dns-01) and IP addresses. The first one names the certificate and its live/<name>/ directory." }),
    accountId: z
      .string({ error: "Choose an ACME account (GET /api/v1/accounts lists them)" })
      .min(1, "Choose an ACME account")
      .max(64, "That ACME account does not exist")
      .regex(/^[a-z0-9]+$/i, "That ACME account does not exist")
      .meta({ description: "The id of a registered ACME account (GET /api/v1/accounts)." }),
    keyType: z.enum(KEY_TYPE_IDS, { error: `Choose a key type: one of ${KEY_TYPE_IDS.join(", ")}` }),
    ...challengeFields,
    issueAnyway: z
      .boolean({ error: "Give issueAnyway as true or false" })
      .default(false)
      .meta({ description: "Order even if the pre-flight check fails (the job log records it)." }),
  })
  .superRefine(checkChallengeFields);
export type CreateCertificateInput = z.input<typeof createCertificateInputSchema>;
export type CreateCertificateData = z.output<typeof createCertificateInputSchema>;

/** A stored certificate's "Challenge settings": the names, account and key type stay. */
export const challengeSettingsInputSchema = z.strictObject({ id: idSchema, ...challengeFields }).superRefine(checkChallengeFields);
export type ChallengeSettingsInput = z.input<typeof challengeSettingsInputSchema>;
export type ChallengeSettingsData = z.output<typeof challengeSettingsInputSchema>;
