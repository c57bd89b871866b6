"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { fieldError } from "@/lib/core/app-error";
import type { UploadSource } from "@/lib/domain/certificates/upload.validation";
import { replaceUploadedCertificate, uploadCertificate } from "@/lib/domain/certificates/upload-certificate";
import { requireActor } from "@/lib/web/actor";
import { certificateIdOf } from "@/lib/web/certificate-form-input";
import { withoutFields } from "@/lib/web/form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

/** Never shown again after a refusal: the PFX password and the key's passphrase. */
const SECRET_FIELDS = ["password", "keyPassphrase"];

/** "Upload a certificate": a new certificate issued elsewhere, then its page. */
export async function uploadCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = withoutFields(formValues(formData), ...SECRET_FIELDS);
  let certificateId: string;
  try {
    ({ certificateId } = await uploadCertificate(actor, await toUploadSource(formData)));
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/");
  redirect(`/certificates/${certificateId}`);
}

/** "Upload a newer version" of an uploaded certificate, then its page. */
export async function replaceUploadedCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = withoutFields(formValues(formData), ...SECRET_FIELDS);
  let id: string;
  try {
    id = certificateIdOf(formValues(formData));
    await replaceUploadedCertificate(actor, { id, ...(await toUploadSource(formData)) });
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/");
  revalidatePath(`/certificates/${id}`);
  redirect(`/certificates/${id}`);
}

/**
 * The form → the command's input: the pasted PEM with its key's passphrase, or the chosen PFX
 * file (base64) with its password, as the "format" choice says.
 */
async function toUploadSource(formData: FormData): Promise<UploadSource> {
  if (formData.get("format") === "pfx") {
    const file = formData.get("pfx");
    if (!(file instanceof File) || file.size === 0) throw fieldError("pfxBase64", "Choose the .pfx or .p12 file");
    return { pfxBase64: Buffer.from(await file.arrayBuffer()).toString("base64"), password: String(formData.get("password") ?? "") };
  }
  const passphrase = String(formData.get("keyPassphrase") ?? "");
  return { pem: String(formData.get("pem") ?? ""), ...(passphrase ? { keyPassphrase: passphrase } : {}) };
}
