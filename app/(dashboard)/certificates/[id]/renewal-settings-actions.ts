"use server";

import { revalidatePath } from "next/cache";
import { updateRenewalSettings } from "@/lib/domain/certificates/renewal-settings";
import { requireActor } from "@/lib/web/actor";
import { certificateIdOf, toRenewalSettingsInput } from "@/lib/web/certificate-form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

/** Saves one certificate's renewal settings (when to renew, its maintenance window, its hooks). */
export async function saveRenewalSettingsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const values = formValues(formData);
  let id: string;
  try {
    id = certificateIdOf(values);
    await updateRenewalSettings(actor, toRenewalSettingsInput(id, values));
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath(`/certificates/${id}`);
  revalidatePath("/");
  return { savedAt: Date.now(), values };
}
