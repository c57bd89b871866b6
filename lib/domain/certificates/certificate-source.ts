import { z } from "zod";
import { AppError } from "@/lib/core/app-error";

/**
 * Where a certificate comes from: "acme" (issued and renewed by CertDeck through its ACME
 * account) or "upload" (issued elsewhere, uploaded with its key: never renewed by CertDeck, kept
 * current by uploading a newer version). The one list; queries parse the stored value with it.
 */
export const CERTIFICATE_SOURCES = ["acme", "upload"] as const;
export type CertificateSource = (typeof CERTIFICATE_SOURCES)[number];
export const certificateSourceSchema = z.enum(CERTIFICATE_SOURCES);

/** What the dashboard and the API say instead of a renewal plan for an uploaded certificate. */
export const UPLOADED_RENEWAL_TEXT = "Uploaded — renew it where it was issued, then upload the new one";

export function isUploaded(certificate: { source: string }): boolean {
  return certificate.source === "upload";
}

/** The refusal of ACME work (renew, test renewal, revoke, challenge settings …) on an uploaded certificate. */
export function uploadedConflict(name: string, what: string): AppError {
  return new AppError(
    "conflict",
    `${name} was uploaded, not issued by CertDeck, so CertDeck cannot ${what} it. Renew it where it was issued, then upload the new version.`,
  );
}

/**
 * The ACME account of a certificate CertDeck issues, or AppError("conflict") for an uploaded one
 * (it has none). For job handlers and commands that talk to the CA.
 */
export function acmeAccountOf<Account>(certificate: { name: string; source: string; account: Account | null }, what: string): Account {
  if (isUploaded(certificate) || !certificate.account) throw uploadedConflict(certificate.name, what);
  return certificate.account;
}
