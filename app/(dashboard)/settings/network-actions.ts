"use server";

import { revalidatePath } from "next/cache";
import { updateNetworkSettings } from "@/lib/domain/settings/update-settings";
import { requireActor } from "@/lib/web/actor";
import { numberInput } from "@/lib/web/form-input";
import { toFormState, type FormState } from "@/lib/web/form-state";

const FIELDS = ["dnsResolvers", "publicIPv4", "publicIPv6", "validationHttpPort"] as const;

/** What the pre-flight check uses to look at this host the way the CA does. */
export async function saveNetworkSettingsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const values = Object.fromEntries(FIELDS.map((key) => [key, String(formData.get(key) ?? "")])) as Record<(typeof FIELDS)[number], string>;
  let saved;
  try {
    saved = await updateNetworkSettings(actor, { ...values, validationHttpPort: numberInput(values.validationHttpPort) });
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/settings");
  return { savedAt: Date.now(), values: { ...saved, validationHttpPort: String(saved.validationHttpPort) } };
}
