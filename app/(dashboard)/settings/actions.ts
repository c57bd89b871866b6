"use server";

import { revalidatePath } from "next/cache";
import { updateChallengeSettings } from "@/lib/domain/settings/update-settings";
import { requireActor } from "@/lib/web/actor";
import { numberInput } from "@/lib/web/form-input";
import { toFormState, type FormState } from "@/lib/web/form-state";

export async function saveSettingsAction(_previous: FormState, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const values = { standalonePort: String(formData.get("standalonePort") ?? "") };
  try {
    await updateChallengeSettings(actor, { standalonePort: numberInput(values.standalonePort) });
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/settings");
  return { savedAt: Date.now(), values };
}
