"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { hookCommandSchema } from "@/lib/domain/deploy/hook-presets";
import { parseMaintenanceWindow } from "@/lib/domain/deploy/maintenance-window";
import { certificateIdSchema } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";
import { replanRenewal } from "@/lib/domain/renewal/replan-renewal";

const DAY_MS = 24 * 3600 * 1000;
const HOOK_FIELDS = ["preHook", "postHook", "deployHook"] as const;

const renewalSettingsSchema = z
  .object({
    renewBeforeDays: z
      .string()
      .trim()
      .transform((text) => (text === "" ? null : Number(text)))
      .pipe(
        z
          .number({ error: "Enter a number of days, or leave it empty" })
          .int("Enter a whole number of days")
          .min(1, "At least 1 day")
          .max(365, "At most 365 days")
          .nullable(),
      ),
    windowMode: z.enum(["global", "none", "custom"], { error: "Choose when deploy hooks may run" }),
    maintenanceWindow: z.string().trim().max(200, "At most 200 characters"),
    preHookMode: z.enum(["global", "custom"]),
    postHookMode: z.enum(["global", "custom"]),
    deployHookMode: z.enum(["global", "custom"]),
    preHook: hookCommandSchema,
    postHook: hookCommandSchema,
    deployHook: hookCommandSchema,
  })
  .superRefine((input, context) => {
    if (input.windowMode !== "custom") return;
    if (input.maintenanceWindow === "") {
      context.addIssue({ code: "custom", path: ["maintenanceWindow"], message: 'Enter a window such as "Mon-Fri 01:00-03:00", or choose "Any time"' });
      return;
    }
    const parsed = parseMaintenanceWindow(input.maintenanceWindow);
    if (!parsed.ok) context.addIssue({ code: "custom", path: ["maintenanceWindow"], message: parsed.error });
  });

/**
 * Saves one certificate's renewal settings. null in a column means "use the global setting";
 * a custom hook saved empty is "" and means "no hook for this certificate".
 */
export async function saveRenewalSettingsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const user = await requireUser();
  const values = Object.fromEntries(
    ["renewBeforeDays", "windowMode", "maintenanceWindow", ...HOOK_FIELDS.flatMap((field) => [`${field}Mode`, field])].map((key) => [
      key,
      String(formData.get(key) ?? ""),
    ]),
  );
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  const certificate = id.success
    ? await db.certificate.findUnique({
        where: { id: id.data },
        select: {
          id: true,
          name: true,
          renewBeforeDays: true,
          maintenanceWindow: true,
          preHook: true,
          postHook: true,
          deployHook: true,
          currentVersion: { select: { notBefore: true, notAfter: true } },
        },
      })
    : null;
  if (!certificate) return { formError: "That certificate does not exist.", values };

  const parsed = renewalSettingsSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const input = parsed.data;

  // Renewing N days before expiry must leave some of the lifetime before the renewal.
  const current = certificate.currentVersion;
  if (input.renewBeforeDays !== null && current) {
    const lifetimeDays = Math.round((current.notAfter.getTime() - current.notBefore.getTime()) / DAY_MS);
    if (input.renewBeforeDays >= lifetimeDays) {
      return {
        fieldErrors: { renewBeforeDays: [`This certificate is valid for ${lifetimeDays} days; renew fewer days than that before it expires`] },
        values,
      };
    }
  }

  const data = {
    renewBeforeDays: input.renewBeforeDays,
    maintenanceWindow: input.windowMode === "global" ? null : input.windowMode === "none" ? "" : input.maintenanceWindow,
    preHook: input.preHookMode === "global" ? null : input.preHook,
    postHook: input.postHookMode === "global" ? null : input.postHook,
    deployHook: input.deployHookMode === "global" ? null : input.deployHook,
  };
  await db.certificate.update({ where: { id: certificate.id }, data });
  await replanRenewal(certificate.id);
  // Which settings changed, never their values (hook commands may hold credentials).
  const changed = (Object.keys(data) as Array<keyof typeof data>).filter((key) => data[key] !== certificate[key]);
  if (changed.length > 0) {
    await recordAuditEvent({ actor: user.username, action: "certificate.settings", target: certificate.name, detail: { changed }, ip: await requestAddress() });
  }
  revalidatePath(`/certificates/${certificate.id}`);
  revalidatePath("/");
  return { savedAt: Date.now(), values };
}
