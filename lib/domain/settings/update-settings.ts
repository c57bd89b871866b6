import { isIP } from "node:net";
import { z } from "zod";
import { getSetting, setSetting, type SettingKey, type SettingValue } from "@/lib/data/settings";
import { defineCommand, type Command } from "@/lib/domain/command/define-command";
import { hookCommandSchema } from "@/lib/domain/deploy/hook-presets";
import { parseMaintenanceWindow } from "@/lib/domain/deploy/maintenance-window";
import { canonicalIPv6 } from "@/lib/protocol/net/ip-address";
import { parseResolverList } from "@/lib/protocol/dns/dns-client";
import { parseAddressList } from "@/lib/protocol/net/address-list";

/**
 * One command per settings form. Each validates its fields, saves them, and writes one
 * "settings.change" audit entry naming the settings that changed (nothing when none did). The
 * entry names settings, never their values, unless a form says its values are plain facts:
 * hook commands may hold credentials.
 */

const portSchema = z
  .number({ error: "Enter a port number" })
  .int("Enter a whole number")
  .min(1, "Ports go from 1 to 65535")
  .max(65535, "Ports go from 1 to 65535");

/** "a, b" or "a b" → ["a", "b"] */
const splitList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function addressListSchema(family: 4 | 6) {
  return z
    .string()
    .trim()
    .max(200, "At most 200 characters")
    .superRefine((text, context) => {
      for (const entry of splitList(text)) {
        if (isIP(entry) !== family) context.addIssue({ code: "custom", message: `"${entry}" is not an IPv${family} address` });
      }
    })
    .transform((text) => splitList(text).map((entry) => (family === 6 ? canonicalIPv6(entry) : entry)).join(", "));
}

const dnsResolversSchema = z
  .string()
  .trim()
  .max(500, "At most 500 characters")
  .superRefine((text, context) => {
    const parsed = parseResolverList(text);
    if (!parsed.ok) for (const message of parsed.errors) context.addIssue({ code: "custom", message });
  })
  .transform((text) => {
    const parsed = parseResolverList(text);
    return parsed.ok ? parsed.servers.join(", ") : text;
  });

/** "" = no window; anything else must parse, with the parser's sentence as the message. */
const maintenanceWindowSchema = z
  .string()
  .trim()
  .max(200, "At most 200 characters")
  .superRefine((spec, context) => {
    if (spec === "") return;
    const parsed = parseMaintenanceWindow(spec);
    if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.error });
  });

const metricsAllowFromSchema = z
  .string()
  .trim()
  .max(2000, "At most 2000 characters")
  .superRefine((text, context) => {
    const parsed = parseAddressList(text);
    if (!parsed.ok) for (const message of parsed.errors) context.addIssue({ code: "custom", message });
  })
  .transform((text) => {
    const parsed = parseAddressList(text);
    return parsed.ok ? parsed.entries.join(", ") : text;
  });

/** Each setting's schema outputs exactly the stored type (lib/data/settings.ts). */
type SettingsFields = { [K in SettingKey]?: z.ZodType<SettingValue<K>, unknown> };
type SavedSettings<Fields extends SettingsFields> = { [K in keyof Fields]: Fields[K] extends z.ZodType<infer Value, unknown> ? Value : never };
type SettingsInput<Fields extends SettingsFields> = { [K in keyof Fields]: Fields[K] extends z.ZodType<unknown, infer Input> ? Input : never };

function settingsCommand<const Fields extends SettingsFields>(options: {
  /** What the audit entry names as the target: the settings page or section. */
  target: string;
  does: string;
  fields: Fields;
  /** The audit detail; by default `{ changed: [setting keys] }`. Never a secret. */
  detail?: (saved: SavedSettings<Fields>, changed: SettingKey[]) => Record<string, unknown>;
}): Command<SettingsInput<Fields>, SavedSettings<Fields>> {
  const keys = Object.keys(options.fields) as Array<SettingKey & keyof Fields>;
  return defineCommand({
    name: "settings.change",
    permission: "write",
    does: options.does,
    input: z.object(options.fields as z.ZodRawShape),
    async run(input, context) {
      const saved = input as SavedSettings<Fields>;
      const previous = await Promise.all(keys.map((key) => getSetting(key)));
      for (const key of keys) await setSetting(key, saved[key] as SettingValue<typeof key>);
      const changed = keys.filter((key, index) => saved[key] !== previous[index]);
      if (changed.length > 0) await context.audit({ target: options.target, detail: options.detail?.(saved, changed) ?? { changed } });
      return saved;
    },
  }) as Command<SettingsInput<Fields>, SavedSettings<Fields>>;
}

/** Settings → HTTP-01 challenges. */
export const updateChallengeSettings = settingsCommand({
  target: "Settings",
  does: "change settings",
  fields: { standalonePort: portSchema },
});

/** Settings → Network: what the pre-flight check uses to look at this host the way the CA does. */
export const updateNetworkSettings = settingsCommand({
  target: "Network",
  does: "change settings",
  fields: {
    dnsResolvers: dnsResolversSchema,
    publicIPv4: addressListSchema(4),
    publicIPv6: addressListSchema(6),
    validationHttpPort: portSchema,
  },
});

/** Settings → Renewals: the global maintenance window. */
export const updateMaintenanceWindow = settingsCommand({
  target: "Renewals",
  does: "change settings",
  fields: { maintenanceWindow: maintenanceWindowSchema },
});

/** Settings → Renewals: the global hooks. The audit names the hooks that changed, never their commands (they may hold credentials). */
export const updateHookDefaults = settingsCommand({
  target: "Renewals",
  does: "change settings",
  fields: {
    defaultPreHook: hookCommandSchema,
    defaultPostHook: hookCommandSchema,
    defaultDeployHook: hookCommandSchema,
    hookTimeoutSeconds: z
      .number({ error: "Enter a number of seconds" })
      .int("Enter a whole number of seconds")
      .min(1, "At least 1 second")
      .max(3600, "At most 3600 seconds (one hour)"),
  },
});

/** Settings → API tokens: who may read /metrics without a token. The list itself is audited (addresses, not secrets). */
export const updateMetricsAccess = settingsCommand({
  target: "Metrics access",
  does: "change settings",
  fields: { metricsAllowFrom: metricsAllowFromSchema },
  detail: (saved) => ({ metricsAllowFrom: saved.metricsAllowFrom || "(token only)" }),
});
