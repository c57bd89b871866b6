import { revalidatePath } from "next/cache";
import type { Command } from "@/lib/domain/command/define-command";
import { requireActor } from "@/lib/web/actor";
import { numberInput } from "@/lib/web/form-input";
import { toFormState, type SavedFormState } from "@/lib/web/form-state";
import { SETTINGS_FORMS, settingField, type SettingName, type SettingsFormName } from "./setting-fields";

/**
 * What every settings form's action does: the form's fields (numbers as numbers, by
 * SETTING_FIELDS) go to the settings command, the page is revalidated, and the form shows the
 * values as saved (normalised by the command) with "Saved.".
 */
export async function saveSettings<Input, Saved extends object>(
  formData: FormData,
  command: Command<Input, Saved>,
  group: SettingsFormName,
  page: string,
): Promise<SavedFormState> {
  const actor = await requireActor();
  const names: readonly SettingName[] = SETTINGS_FORMS[group].names;
  const values = Object.fromEntries(names.map((name) => [name, String(formData.get(name) ?? "")]));
  const input = Object.fromEntries(names.map((name) => [name, settingField(name).kind === "number" ? numberInput(values[name]) : values[name]]));
  let saved: Saved;
  try {
    saved = await command(actor, input as Input);
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath(page);
  return { savedAt: Date.now(), values: Object.fromEntries(Object.entries(saved).map(([name, value]) => [name, String(value)])) };
}
