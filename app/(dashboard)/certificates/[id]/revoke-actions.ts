"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { revokeCertificate } from "@/lib/domain/certificates/revoke-certificate";
import type { RevocationReason } from "@/lib/protocol/acme/revocation-reasons";
import { requireActor } from "@/lib/web/actor";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";
import { deleteCertificateAction } from "../actions";

/** Queues the revocation of the current version (ACME work runs in the job, not here). */
export async function revokeCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return revokeFromDialog(formData, { thenDelete: false });
}

/**
 * The Delete dialog: deletes at once, or, with "Revoke at the CA first", queues a revocation that
 * deletes the certificate only after the CA confirmed it (lib/jobs/handlers/revoke.ts). The list
 * shows the job; a failed revocation leaves the certificate with the reason on it.
 */
export async function deleteOrRevokeThenDeleteAction(previous: FormState, formData: FormData): Promise<FormState> {
  if (formData.get("revokeFirst") !== "on") return deleteCertificateAction(previous, formData);
  return revokeFromDialog(formData, { thenDelete: true });
}

async function revokeFromDialog(formData: FormData, { thenDelete }: { thenDelete: boolean }): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(formData);
  const id = values.certificateId ?? "";
  try {
    await revokeCertificate(actor, { id, reason: values.reason as RevocationReason, thenDelete });
  } catch (error) {
    const state = toFormState(error, values);
    // The dialog has one line for messages: the reason's problem, or the refusal.
    return { formError: state.fieldErrors?.reason?.[0] ?? state.formError ?? "That certificate does not exist." };
  }
  revalidatePath("/");
  revalidatePath(`/certificates/${id}`);
  redirect(thenDelete ? "/" : `/certificates/${id}`);
}
