import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { RATE_LIMITS, type RateLimitName } from "@/lib/domain/accounts/rate-limits";
import { httpUrlSchema } from "@/lib/core/url-schema";
import { presetFor } from "@/lib/protocol/acme/presets";
import { splitPemChain } from "@/lib/protocol/x509/x509";

const directoryUrl = httpUrlSchema("Enter the directory's full URL, starting with https://");

/** A PEM bundle of one or more CA certificates, or nothing. */
const caBundle = z
  .string()
  .trim()
  .max(200_000)
  .optional()
  .transform((value) => value || undefined)
  .refine((value) => {
    if (!value) return true;
    const blocks = splitPemChain(value);
    if (blocks.length === 0) return false;
    try {
      blocks.forEach((block) => new X509Certificate(block));
      return true;
    } catch {
      return false;
    }
  }, "Paste one or more PEM certificates (-----BEGIN CERTIFICATE----- ...)");

/** An EAB key ID as the CA shows it (printable ASCII, no spaces), or nothing. */
export const eabKeyIdSchema = z
  .string()
  .trim()
  .max(500, "That is too long for an EAB key ID")
  .regex(/^[\x21-\x7e]*$/, "The EAB key ID is a single word of letters, digits and punctuation: copy it again from the CA")
  .optional()
  .transform((value) => value || undefined);

/**
 * An EAB HMAC key: base64url as CAs hand it out (line breaks from copying are dropped, standard
 * base64 is accepted too), stored as unpadded base64url. At least 16 bytes once decoded.
 */
export const eabHmacKeySchema = z
  .string()
  .max(1000, "That is too long for an HMAC key")
  .optional()
  .transform((value) => value?.replace(/\s+/g, "") || undefined)
  .refine(
    (value) => value === undefined || /^[A-Za-z0-9_+/-]+={0,2}$/.test(value),
    "The HMAC key is base64url text (letters, digits, - and _): copy it again from the CA",
  )
  .refine((value) => value === undefined || Buffer.from(value, "base64").length >= 16, "That HMAC key is too short: copy the whole key from the CA")
  .transform((value) => value && Buffer.from(value, "base64").toString("base64url"));

/** "This CA is on my private network or this machine" (lib/domain/network/account-network.ts); absent = no. */
const privateNetwork = z.boolean({ error: "Choose yes or no" }).default(false);

export const directoryLookupSchema = z.object({ directoryUrl, caBundlePem: caBundle, privateNetwork });

/** Changes an account's network choice (lib/domain/network/account-network.ts). */
export const accountNetworkSchema = z.object({ id: idSchema, privateNetwork: z.boolean({ error: "Choose yes or no" }) });

/** A failed registration, tried again: optionally with a new EAB key ID and HMAC key (both or neither). */
export const retryRegistrationSchema = z
  .object({
    id: idSchema,
    eabKeyId: eabKeyIdSchema,
    eabHmacKey: eabHmacKeySchema,
  })
  .superRefine((input, context) => {
    if (input.eabKeyId && !input.eabHmacKey)
      context.addIssue({ code: "custom", message: "Enter the HMAC key that goes with this key ID", path: ["eabHmacKey"] });
    if (input.eabHmacKey && !input.eabKeyId) context.addIssue({ code: "custom", message: "Enter the key ID that goes with this HMAC key", path: ["eabKeyId"] });
  });

/** One of the rate-limit guard's limits: a whole number from 1 to its maximum (RATE_LIMITS). */
function rateLimit(name: RateLimitName) {
  const { label, max } = RATE_LIMITS[name];
  return z
    .number({ error: "Enter a number" })
    .int("Enter a whole number")
    .min(1, "At least 1")
    .max(max, `At most ${max.toLocaleString("en")} ${label.toLowerCase()}`);
}

/** The rate-limit guard's limits for one account (lib/domain/accounts/rate-limit-guard.ts). */
export const rateLimitsSchema = z.object({
  id: idSchema,
  ordersPer3HoursLimit: rateLimit("ordersPer3HoursLimit"),
  failedValidationsPerHourLimit: rateLimit("failedValidationsPerHourLimit"),
});

const TERMS_NOT_AGREED = "You must agree to the CA's terms of service";

export const createAccountSchema = z
  .object({
    label: z.string().trim().max(100).optional(),
    directoryUrl,
    email: z.email({ error: "Enter a valid e-mail address; the CA writes to it about problems" }).max(254),
    /** The operator ticked "I have read and agree to the CA's terms of service". */
    termsAgreed: z.boolean({ error: TERMS_NOT_AGREED }).refine((agreed) => agreed, TERMS_NOT_AGREED),
    caBundlePem: caBundle,
    eabKeyId: eabKeyIdSchema,
    eabHmacKey: eabHmacKeySchema,
    privateNetwork,
  })
  .superRefine((input, context) => {
    const preset = presetFor(input.directoryUrl);
    const from = preset?.eabSource ? ` (${preset.eabSource})` : "";
    if (preset?.requiresEab && !input.eabKeyId && !input.eabHmacKey) {
      const message = `${preset.label} requires External Account Binding: enter the EAB key ID and HMAC key${from}`;
      context.addIssue({ code: "custom", message, path: ["eabKeyId"] });
      context.addIssue({ code: "custom", message: `Required by ${preset.label}`, path: ["eabHmacKey"] });
    } else if (input.eabKeyId && !input.eabHmacKey) {
      context.addIssue({ code: "custom", message: `Enter the HMAC key that goes with this key ID${from}`, path: ["eabHmacKey"] });
    } else if (input.eabHmacKey && !input.eabKeyId) {
      context.addIssue({ code: "custom", message: `Enter the key ID that goes with this HMAC key${from}`, path: ["eabKeyId"] });
    }
  });
export type CreateAccountInput = z.input<typeof createAccountSchema>;
