"use server";

import path from "node:path";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { AppError } from "@/lib/core/app-error";
import { importCertbotDirectory, type CertbotImportResult } from "@/lib/domain/import/certbot/import-certbot-directory";
import { directoryLookupSchema } from "@/lib/domain/accounts/account.validation";
import type { FormState } from "@/lib/web/form-state";

export type ImportCertbotState = FormState & { result?: CertbotImportResult };

const importCertbotSchema = z.object({
  directory: z
    .string()
    .trim()
    .min(1, "Enter certbot's directory, usually /etc/letsencrypt")
    .max(4096, "That path is too long")
    .refine((value) => !value.includes("\0"), "That path holds a NUL character")
    .refine((value) => path.isAbsolute(value), "Enter an absolute path, starting with /, such as /etc/letsencrypt"),
  caBundlePem: directoryLookupSchema.shape.caBundlePem,
});

/**
 * Imports every lineage of a certbot directory. It only reads local files and writes the
 * database (no ACME request), so it runs inside the action rather than as a job.
 */
export async function importCertbotDirectoryAction(_previous: ImportCertbotState, formData: FormData): Promise<ImportCertbotState> {
  const user = await requireUser();
  const values = { directory: String(formData.get("directory") ?? ""), caBundlePem: String(formData.get("caBundlePem") ?? "") };
  const parsed = importCertbotSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    const result = await importCertbotDirectory(parsed.data.directory, { caBundlePem: parsed.data.caBundlePem });
    if (result.imported.length > 0) revalidatePath("/");
    await recordAuditEvent({
      actor: user.username,
      action: "certificate.import",
      target: result.directory,
      detail: { imported: result.imported.length, skipped: result.skipped.length },
      ip: await requestAddress(),
    });
    return { values, result };
  } catch (error) {
    if (error instanceof AppError) return { formError: error.userMessage, values };
    throw error;
  }
}
