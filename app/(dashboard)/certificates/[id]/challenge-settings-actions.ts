"use server";

import { revalidatePath } from "next/cache";
import { updateChallengeSettings } from "@/lib/domain/certificates/challenge-settings";
import { requireActor } from "@/lib/web/actor";
import { certificateIdOf, toChallengeSettingsInput } from "@/lib/web/certificate-form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

/** Saves a certificate's challenge method, webroots, DNS provider, profile and keep-key choice. */
export async function saveChallengeSettingsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const values = formValues(formData);
  let id: string;
  try {
    id = certificateIdOf(values);
    await updateChallengeSettings(actor, toChallengeSettingsInput(id, values));
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath(`/certificates/${id}`);
  return { savedAt: Date.now(), values };
}
