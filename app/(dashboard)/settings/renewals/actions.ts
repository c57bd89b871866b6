"use server";

import { revalidatePath } from "next/cache";
import { updateHookDefaults, updateMaintenanceWindow } from "@/lib/domain/settings/update-settings";
import { requireActor } from "@/lib/web/actor";
import { numberInput } from "@/lib/web/form-input";
import { toFormState, type FormState } from "@/lib/web/form-state";

type SavedState = FormState & { savedAt?: number };

export async function saveMaintenanceWindowAction(_previous: SavedState, formData: FormData): Promise<SavedState> {
  const actor = await requireActor();
  const values = { maintenanceWindow: String(formData.get("maintenanceWindow") ?? "") };
  let saved;
  try {
    saved = await updateMaintenanceWindow(actor, values);
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/settings/renewals");
  return { savedAt: Date.now(), values: saved };
}

const HOOK_FIELDS = ["defaultPreHook", "defaultPostHook", "defaultDeployHook", "hookTimeoutSeconds"] as const;

export async function saveHookDefaultsAction(_previous: SavedState, formData: FormData): Promise<SavedState> {
  const actor = await requireActor();
  const values = Object.fromEntries(HOOK_FIELDS.map((key) => [key, String(formData.get(key) ?? "")])) as Record<(typeof HOOK_FIELDS)[number], string>;
  let saved;
  try {
    saved = await updateHookDefaults(actor, { ...values, hookTimeoutSeconds: numberInput(values.hookTimeoutSeconds) });
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/settings/renewals");
  return { savedAt: Date.now(), values: { ...saved, hookTimeoutSeconds: String(saved.hookTimeoutSeconds) } };
}
