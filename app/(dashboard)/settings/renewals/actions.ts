"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { getSetting, setSetting } from "@/lib/data/settings";
import { hookCommandSchema } from "@/lib/domain/deploy/hook-presets";
import { parseMaintenanceWindow } from "@/lib/domain/deploy/maintenance-window";
import type { FormState } from "@/lib/web/form-state";

/** "" = no window; anything else must parse, with the parser's sentence as the message. */
const maintenanceWindowSchema = z.object({
  maintenanceWindow: z
    .string()
    .trim()
    .max(200, "At most 200 characters")
    .superRefine((spec, context) => {
      if (spec === "") return;
      const parsed = parseMaintenanceWindow(spec);
      if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.error });
    }),
});

const hookDefaultsSchema = z.object({
  defaultPreHook: hookCommandSchema,
  defaultPostHook: hookCommandSchema,
  defaultDeployHook: hookCommandSchema,
  hookTimeoutSeconds: z.coerce
    .number({ error: "Enter a number of seconds" })
    .int("Enter a whole number of seconds")
    .min(1, "At least 1 second")
    .max(3600, "At most 3600 seconds (one hour)"),
});

type SavedState = FormState & { savedAt?: number };

export async function saveMaintenanceWindowAction(_previous: SavedState, formData: FormData): Promise<SavedState> {
  const user = await requireUser();
  const values = { maintenanceWindow: String(formData.get("maintenanceWindow") ?? "") };
  const parsed = maintenanceWindowSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const previous = await getSetting("maintenanceWindow");
  await setSetting("maintenanceWindow", parsed.data.maintenanceWindow);
  if (previous !== parsed.data.maintenanceWindow) {
    await recordAuditEvent({ actor: user.username, action: "settings.change", target: "Renewals", detail: { changed: ["maintenanceWindow"] }, ip: await requestAddress() });
  }
  revalidatePath("/settings/renewals");
  return { savedAt: Date.now(), values: { maintenanceWindow: parsed.data.maintenanceWindow } };
}

export async function saveHookDefaultsAction(_previous: SavedState, formData: FormData): Promise<SavedState> {
  const user = await requireUser();
  const values = Object.fromEntries(
    (["defaultPreHook", "defaultPostHook", "defaultDeployHook", "hookTimeoutSeconds"] as const).map((key) => [key, String(formData.get(key) ?? "")]),
  );
  const parsed = hookDefaultsSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const { defaultPreHook, defaultPostHook, defaultDeployHook, hookTimeoutSeconds } = parsed.data;
  const keys = ["defaultPreHook", "defaultPostHook", "defaultDeployHook", "hookTimeoutSeconds"] as const;
  const previous = await Promise.all(keys.map((key) => getSetting(key)));
  await setSetting("defaultPreHook", defaultPreHook);
  await setSetting("defaultPostHook", defaultPostHook);
  await setSetting("defaultDeployHook", defaultDeployHook);
  await setSetting("hookTimeoutSeconds", hookTimeoutSeconds);
  // Which settings changed, never the hook commands themselves (they may hold credentials).
  const changed = keys.filter((key, index) => parsed.data[key] !== previous[index]);
  if (changed.length > 0) {
    await recordAuditEvent({ actor: user.username, action: "settings.change", target: "Renewals", detail: { changed }, ip: await requestAddress() });
  }
  revalidatePath("/settings/renewals");
  return {
    savedAt: Date.now(),
    values: { defaultPreHook, defaultPostHook, defaultDeployHook, hookTimeoutSeconds: String(hookTimeoutSeconds) },
  };
}
