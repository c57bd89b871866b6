"use server";

import { updateChallengeSettings, updateNetworkSettings } from "@/lib/domain/settings/update-settings";
import type { SavedFormState } from "@/lib/web/form-state";
import { saveSettings } from "./save-settings";

/** Settings → HTTP-01 challenges. */
export async function saveSettingsAction(_previous: SavedFormState, formData: FormData): Promise<SavedFormState> {
  return saveSettings(formData, updateChallengeSettings, "challenge", "/settings");
}

/** What the pre-flight check uses to look at this host the way the CA does. */
export async function saveNetworkSettingsAction(_previous: SavedFormState, formData: FormData): Promise<SavedFormState> {
  return saveSettings(formData, updateNetworkSettings, "network", "/settings");
}
