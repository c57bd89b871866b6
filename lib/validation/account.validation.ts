import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { splitPemChain } from "@/lib/certs/x509";

const directoryUrl = z
  .url({ protocol: /^https?$/, error: "Enter the directory's full URL, starting with https://" })
  .max(2000);

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

export const directoryLookupSchema = z.object({ directoryUrl, caBundlePem: caBundle });

export const createAccountSchema = z
  .object({
    label: z.string().trim().max(100).optional(),
    directoryUrl,
    email: z.email({ error: "Enter a valid e-mail address; the CA writes to it about problems" }).max(254),
    termsAgreed: z.literal("on", { error: "You must agree to the CA's terms of service" }),
    caBundlePem: caBundle,
    eabKeyId: z.string().trim().max(500).optional().transform((value) => value || undefined),
    eabHmacKey: z
      .string()
      .trim()
      .max(500)
      .regex(/^[A-Za-z0-9_=-]*$/, "The HMAC key is base64url text")
      .optional()
      .transform((value) => value || undefined),
  })
  .refine((input) => Boolean(input.eabKeyId) === Boolean(input.eabHmacKey), {
    message: "Enter both the EAB key ID and the HMAC key, or neither",
    path: ["eabHmacKey"],
  });
export type CreateAccountInput = z.input<typeof createAccountSchema>;
