"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { getSetting, setSetting } from "@/lib/data/settings";
import type { FormState } from "@/lib/web/form-state";

const settingsSchema = z.object({
  standalonePort: z.coerce
    .number({ error: "Enter a port number" })
    .int("Enter a whole number")
    .min(1, "Ports go from 1 to 65535")
    .max(65535, "Ports go from 1 to 65535"),
});

export async function saveSettingsAction(_previous: FormState, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const user = await requireUser();
  const values = { standalonePort: String(formData.get("standalonePort") ?? "") };
  const parsed = settingsSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const previous = await getSetting("standalonePort");
  await setSetting("standalonePort", parsed.data.standalonePort);
  if (previous !== parsed.data.standalonePort) {
    await recordAuditEvent({ actor: user.username, action: "settings.change", target: "Settings", detail: { changed: ["standalonePort"] }, ip: await requestAddress() });
  }
  revalidatePath("/settings");
  return { savedAt: Date.now(), values };
}
