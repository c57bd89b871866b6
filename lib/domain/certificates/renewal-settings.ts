import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { defineCommand } from "@/lib/domain/command/define-command";
import { hookCommandSchema } from "@/lib/domain/deploy/hook-presets";
import { parseMaintenanceWindow } from "@/lib/domain/deploy/maintenance-window";
import { replanRenewal } from "@/lib/domain/renewal/replan-renewal";

const DAY_MS = 24 * 3600 * 1000;

/**
 * One certificate's renewal settings, as stored: null means "use the global setting". A window
 * of "" means "any time" (no window for this certificate); a hook of "" means "no hook".
 */
export const renewalSettingsInputSchema = z
  .strictObject({
    id: idSchema,
    /** Renew this many days before expiry; null: automatic (ARI, or a third of the lifetime left). */
    renewBeforeDays: z
      .number({ error: "Enter a number of days, or leave it empty" })
      .int("Enter a whole number of days")
      .min(1, "At least 1 day")
      .max(365, "At most 365 days")
      .nullable(),
    maintenanceWindow: z.string({ error: "Give the window as text, or null for the global one" }).trim().max(200, "At most 200 characters").nullable(),
    preHook: hookCommandSchema.nullable(),
    postHook: hookCommandSchema.nullable(),
    deployHook: hookCommandSchema.nullable(),
  })
  .superRefine((input, context) => {
    if (!input.maintenanceWindow) return;
    const parsed = parseMaintenanceWindow(input.maintenanceWindow);
    if (!parsed.ok) context.addIssue({ code: "custom", path: ["maintenanceWindow"], message: parsed.error });
  });
export type RenewalSettingsInput = z.input<typeof renewalSettingsInputSchema>;

const SETTINGS = ["renewBeforeDays", "maintenanceWindow", "preHook", "postHook", "deployHook"] as const;

/**
 * Saves one certificate's renewal settings (when to renew, its maintenance window, its hooks) and
 * plans its next renewal again. Audited as "certificate.settings" with the names of the settings
 * that changed, never their values (hook commands may hold credentials).
 */
export const updateRenewalSettings = defineCommand(
  { name: "certificate.settings", permission: "write", does: "change certificates' renewal settings", input: renewalSettingsInputSchema },
  async ({ id, ...data }, context): Promise<{ name: string; changed: Array<(typeof SETTINGS)[number]> }> => {
    const certificate = await db.certificate.findUnique({
      where: { id },
      select: {
        name: true,
        renewBeforeDays: true,
        maintenanceWindow: true,
        preHook: true,
        postHook: true,
        deployHook: true,
        source: true,
        currentVersion: { select: { notBefore: true, notAfter: true } },
      },
    });
    if (!certificate) throw new AppError("not_found", "That certificate does not exist.");
    if (certificate.source === "upload" && data.renewBeforeDays !== null) {
      throw fieldError(
        "renewBeforeDays",
        "CertDeck does not renew an uploaded certificate: leave this empty, renew it where it was issued and upload the new one",
      );
    }

    // Renewing N days before expiry must leave some of the lifetime before the renewal.
    const current = certificate.currentVersion;
    if (data.renewBeforeDays !== null && current) {
      const lifetimeDays = Math.round((current.notAfter.getTime() - current.notBefore.getTime()) / DAY_MS);
      if (data.renewBeforeDays >= lifetimeDays) {
        throw fieldError("renewBeforeDays", `This certificate is valid for ${lifetimeDays} days; renew fewer days than that before it expires`);
      }
    }

    await db.certificate.update({ where: { id }, data });
    await replanRenewal(id);
    const changed = SETTINGS.filter((key) => data[key] !== certificate[key]);
    if (changed.length > 0) await context.audit({ target: certificate.name, detail: { changed } });
    return { name: certificate.name, changed };
  },
);
