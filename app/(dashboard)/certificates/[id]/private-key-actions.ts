"use server";

import { fieldError } from "@/lib/core/app-error";
import { downloadPrivateKeyPem, downloadPrivateKeyPfx } from "@/lib/domain/certificates/private-key";
import type { PfxEncryption } from "@/lib/protocol/x509/pfx";
import { requireActor } from "@/lib/web/actor";
import { certificateIdOf } from "@/lib/web/certificate-form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

export type PrivateKeyDownloadState = FormState & { download?: { filename: string; pem: string; at: number } };
export type PfxDownloadState = FormState & { download?: { filename: string; base64: string; at: number } };

/** The one way a PEM private key reaches the browser: a deliberate download behind the password. */
export async function downloadPrivateKeyAction(_previous: PrivateKeyDownloadState, formData: FormData): Promise<PrivateKeyDownloadState> {
  const actor = await requireActor();
  const values = formValues(formData);
  try {
    const { filename, pem } = await downloadPrivateKeyPem(actor, { id: certificateIdOf(values), password: values.password ?? "" });
    return { download: { filename, pem, at: Date.now() } };
  } catch (error) {
    return toFormState(error);
  }
}

/**
 * The key, certificate and chain as one PKCS#12 file for Windows/IIS, Java and appliances, behind
 * the same password gate, encrypted with an export password the user chooses (typed twice).
 */
export async function downloadPfxAction(_previous: PfxDownloadState, formData: FormData): Promise<PfxDownloadState> {
  const actor = await requireActor();
  const values = formValues(formData);
  try {
    const id = certificateIdOf(values);
    if ((values.exportPassword ?? "") !== (values.exportPasswordConfirm ?? "")) throw fieldError("exportPasswordConfirm", "The two export passwords differ");
    // The checkbox sends "legacy-3des" when ticked; the command refuses any other value.
    const encryption = (values.encryption || undefined) as PfxEncryption | undefined;
    const { filename, pfx } = await downloadPrivateKeyPfx(actor, {
      id,
      password: values.password ?? "",
      exportPassword: values.exportPassword ?? "",
      encryption,
    });
    return { download: { filename, base64: pfx.toString("base64"), at: Date.now() } };
  } catch (error) {
    return toFormState(error);
  }
}
