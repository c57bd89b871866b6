"use server";

import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { updateHookDefaults, updateMaintenanceWindow } from "@/lib/domain/settings/update-settings";
import type { SavedFormState } from "@/lib/web/form-state";
import { saveSettings } from "../save-settings";

export async function saveMaintenanceWindowAction(_previous: SavedFormState, formData: FormData): Promise<SavedFormState> {
  return saveSettings(formData, updateMaintenanceWindow, "maintenanceWindow", SETTINGS_SECTIONS.renewals.href);
}

export async function saveHookDefaultsAction(_previous: SavedFormState, formData: FormData): Promise<SavedFormState> {
  return saveSettings(formData, updateHookDefaults, "hooks", SETTINGS_SECTIONS.renewals.href);
}
