import { z } from "zod";
import { KEY_TYPE_IDS } from "@/lib/certs/key-types";

export const CHALLENGE_METHODS = {
  "http-01-app": "HTTP-01, served by CertDeck (behind nginx)",
  "http-01-webroot": "HTTP-01, files in a webroot (like certbot --webroot)",
  "http-01-standalone": "HTTP-01, standalone listener (like certbot --standalone)",
} as const;
export type ChallengeMethod = keyof typeof CHALLENGE_METHODS;
const CHALLENGE_METHOD_IDS = Object.keys(CHALLENGE_METHODS) as [ChallengeMethod, ...ChallengeMethod[]];

/** The add-certificate form; names are checked further by lib/validation/names.ts. */
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
  /** The "issue even if the check fails" checkbox. */
  issueAnyway: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
}).superRefine((input, context) => {
  if (input.challengeMethod !== "http-01-webroot") return;
  if (!input.webrootPath) {
    context.addIssue({ code: "custom", path: ["webrootPath"], message: "Enter the web server's document root, e.g. /var/www/html" });
  } else if (!input.webrootPath.startsWith("/") || input.webrootPath.split("/").includes("..")) {
    context.addIssue({ code: "custom", path: ["webrootPath"], message: "Enter an absolute path without \"..\", e.g. /var/www/html" });
  }
});
export type CreateCertificateInput = z.input<typeof createCertificateSchema>;

export const certificateIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/i, "invalid id");
