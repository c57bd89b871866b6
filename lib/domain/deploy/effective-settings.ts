import "server-only";
import { db } from "@/lib/data/client";
import { getSetting } from "@/lib/data/settings";
import { AppError } from "@/lib/core/app-error";
import { describeWindow, parseMaintenanceWindow, type MaintenanceWindow } from "@/lib/domain/deploy/maintenance-window";
import type { HookKind } from "@/lib/domain/deploy/hook-presets";

export type SettingSource = "certificate" | "global";

export interface EffectiveRenewalSettings {
  /** null = no window: hooks may run any time. */
  maintenanceWindow: MaintenanceWindow | null;
  /** The spec the window came from ("" = any time). */
  maintenanceWindowSpec: string;
  /**
   * Set when the stored spec no longer parses (edited by hand, or written by an older version).
   * maintenanceWindow is then null, but callers must not read that as "any time".
   */
  maintenanceWindowError: string | null;
  /** "" = no hook. */
  preHook: string;
  postHook: string;
  deployHook: string;
  hookTimeoutMs: number;
  source: { window: SettingSource } & Record<HookKind, SettingSource>;
}

const CERTIFICATE_SETTINGS = { maintenanceWindow: true, preHook: true, postHook: true, deployHook: true } as const;

/** A certificate's own window and hooks (null = the global setting applies). */
export type CertificateRenewalSettings = { [Key in keyof typeof CERTIFICATE_SETTINGS]: string | null };

/**
 * The window and hooks that apply to one certificate: its own value wins when it is not null
 * (even "", which means "none for this certificate"), else the global setting.
 */
export async function getEffectiveRenewalSettings(certificateId: string): Promise<EffectiveRenewalSettings> {
  const certificate = await db.certificate.findUnique({ where: { id: certificateId }, select: CERTIFICATE_SETTINGS });
  if (!certificate) throw new AppError("not_found", "That certificate does not exist.");
  return effectiveRenewalSettingsOf(certificate);
}

/** getEffectiveRenewalSettings for a certificate row the caller has read already (a job reads its certificate once). */
export async function effectiveRenewalSettingsOf(certificate: CertificateRenewalSettings): Promise<EffectiveRenewalSettings> {
  const [globalWindow, globalPreHook, globalPostHook, globalDeployHook, hookTimeoutSeconds] = await Promise.all([
    getSetting("maintenanceWindow"),
    getSetting("defaultPreHook"),
    getSetting("defaultPostHook"),
    getSetting("defaultDeployHook"),
    getSetting("hookTimeoutSeconds"),
  ]);
  const pick = (own: string | null, global: string) =>
    own === null ? { value: global, source: "global" as const } : { value: own, source: "certificate" as const };
  const window = pick(certificate.maintenanceWindow, globalWindow);
  const preHook = pick(certificate.preHook, globalPreHook);
  const postHook = pick(certificate.postHook, globalPostHook);
  const deployHook = pick(certificate.deployHook, globalDeployHook);
  const parsed = window.value.trim() === "" ? null : parseMaintenanceWindow(window.value);
  return {
    maintenanceWindow: parsed?.ok ? parsed.window : null,
    maintenanceWindowSpec: window.value.trim(),
    maintenanceWindowError: parsed && !parsed.ok ? parsed.error : null,
    preHook: preHook.value.trim(),
    postHook: postHook.value.trim(),
    deployHook: deployHook.value.trim(),
    hookTimeoutMs: hookTimeoutSeconds * 1000,
    source: { window: window.source, preHook: preHook.source, postHook: postHook.source, deployHook: deployHook.source },
  };
}

/** What the per-certificate renewal settings form shows: the certificate's own values and the global ones. */
export interface RenewalSettingsFormValues {
  certificateId: string;
  /** null = use the global value (renewBeforeDays: null = automatic). */
  current: {
    renewBeforeDays: number | null;
    maintenanceWindow: string | null;
    preHook: string | null;
    postHook: string | null;
    deployHook: string | null;
  };
  global: {
    maintenanceWindow: string;
    /** "Monday to Friday, 01:00–03:00", or "any time" for no window. */
    maintenanceWindowDescription: string;
    preHook: string;
    postHook: string;
    deployHook: string;
  };
  timeZone: string;
}

/** Props for app/(dashboard)/certificates/[id]/renewal-settings-form.tsx, or null when the certificate does not exist. */
export async function getRenewalSettingsFormValues(certificateId: string, timeZone: string): Promise<RenewalSettingsFormValues | null> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: { id: true, renewBeforeDays: true, ...CERTIFICATE_SETTINGS },
  });
  if (!certificate) return null;
  const [maintenanceWindow, preHook, postHook, deployHook] = await Promise.all([
    getSetting("maintenanceWindow"),
    getSetting("defaultPreHook"),
    getSetting("defaultPostHook"),
    getSetting("defaultDeployHook"),
  ]);
  const parsed = maintenanceWindow.trim() === "" ? null : parseMaintenanceWindow(maintenanceWindow);
  return {
    certificateId: certificate.id,
    current: {
      renewBeforeDays: certificate.renewBeforeDays,
      maintenanceWindow: certificate.maintenanceWindow,
      preHook: certificate.preHook,
      postHook: certificate.postHook,
      deployHook: certificate.deployHook,
    },
    global: {
      maintenanceWindow,
      maintenanceWindowDescription: !parsed ? "any time" : parsed.ok ? describeWindow(parsed.window) : `invalid: ${parsed.error}`,
      preHook,
      postHook,
      deployHook,
    },
    timeZone,
  };
}
