"use server";

import { revalidatePath } from "next/cache";
import { importCertbotDirectory, type CertbotImportResult } from "@/lib/domain/import/certbot/import-certbot-directory";
import { requireActor } from "@/lib/web/actor";
import { checkboxInput } from "@/lib/web/form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

export type ImportCertbotState = FormState & { result?: CertbotImportResult };

/** Imports every lineage of a certbot directory (lib/domain/import/certbot/import-certbot-directory.ts). */
export async function importCertbotDirectoryAction(_previous: ImportCertbotState, formData: FormData): Promise<ImportCertbotState> {
  const actor = await requireActor();
  const values = formValues(formData);
  let result: CertbotImportResult;
  try {
    result = await importCertbotDirectory(actor, {
      directory: values.directory ?? "",
      caBundlePem: values.caBundlePem ?? "",
      privateNetwork: checkboxInput(values.privateNetwork),
    });
  } catch (error) {
    return toFormState(error, values);
  }
  if (result.imported.length > 0) revalidatePath("/");
  return { values, result };
}
