import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { MAX_PFX_BYTES } from "@/lib/protocol/x509/pfx";

/**
 * What "Upload a certificate" takes (lib/domain/certificates/upload-certificate.ts): the dashboard's
 * form and the REST API's POST /certificates/upload are judged by these schemas.
 */

/** A pasted bundle longer than this is not a certificate, its chain and a key. */
export const MAX_PEM_CHARACTERS = 200_000;
const MAX_PFX_BASE64_CHARACTERS = Math.ceil(MAX_PFX_BYTES / 3) * 4 + 4096;

/** What is uploaded: a PEM bundle (with the key's passphrase if it is encrypted), or a PFX with its password. */
const uploadSourceShape = {
  pem: z.string().max(MAX_PEM_CHARACTERS, "That is too long for a certificate, its chain and its key").optional().meta({
    description:
      "The certificate, its intermediates and its private key as PEM blocks, in any order (fullchain.pem followed by privkey.pem). A root certificate is left out.",
  }),
  keyPassphrase: z
    .string()
    .max(1024, "That passphrase is too long")
    .optional()
    .meta({ description: "The passphrase of an encrypted private key (ENCRYPTED PRIVATE KEY) in pem." }),
  pfxBase64: z
    .string()
    .max(MAX_PFX_BASE64_CHARACTERS, `A PFX file holding a certificate and its key is smaller than ${MAX_PFX_BYTES / 1024} KB`)
    .regex(/^[A-Za-z0-9+/=\s]*$/, "Send the PFX file base64-encoded")
    .optional()
    .meta({ description: "A PKCS#12 (PFX, .p12) file with the certificate, its chain and its private key, base64-encoded. Instead of pem." }),
  password: z
    .string()
    .max(1024, "That password is too long")
    .refine((value) => !/[\r\n]/.test(value), "A PFX password has no line breaks")
    .optional()
    .meta({ description: "The PFX file's password (empty for a PFX without one)." }),
};

export type UploadSource = { pem?: string; keyPassphrase?: string; pfxBase64?: string; password?: string };

function requireOneSource(input: UploadSource, context: z.RefinementCtx): void {
  const hasPem = Boolean(input.pem?.trim());
  const hasPfx = Boolean(input.pfxBase64?.trim());
  if (hasPem && hasPfx) context.addIssue({ code: "custom", path: ["pfxBase64"], message: "Upload either PEM or a PFX file, not both" });
  if (!hasPem && !hasPfx) context.addIssue({ code: "custom", path: ["pem"], message: "Paste the certificate and its key (PEM), or choose a PFX file" });
}

export const uploadCertificateInputSchema = z.strictObject(uploadSourceShape).superRefine(requireOneSource).meta({ id: "UploadCertificateRequest" });
export const replaceUploadedCertificateInputSchema = z.strictObject({ id: idSchema, ...uploadSourceShape }).superRefine(requireOneSource);
