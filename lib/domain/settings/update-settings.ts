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
    .transform((text) =>
      splitList(text)
        .map((entry) => (family === 6 ? canonicalIPv6(entry) : entry))
        .join(", "),
    );
}

/**
 * A list typed as text ("a, b"), checked by a parser: each problem it finds is an issue, and what
 * is stored is its reading of the list, joined by ", ".
 */
function parsedListSchema(maxLength: number, parse: (text: string) => { ok: true; items: string[] } | { ok: false; errors: string[] }) {
  return z
    .string()
    .trim()
    .max(maxLength, `At most ${maxLength} characters`)
    .superRefine((text, context) => {
      const parsed = parse(text);
      if (!parsed.ok) for (const message of parsed.errors) context.addIssue({ code: "custom", message });
    })
    .transform((text) => {
      const parsed = parse(text);
      return parsed.ok ? parsed.items.join(", ") : text;
    });
}

const dnsResolversSchema = parsedListSchema(500, (text) => {
  const parsed = parseResolverList(text);
  return parsed.ok ? { ok: true, items: parsed.servers } : parsed;
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

const metricsAllowFromSchema = parsedListSchema(2000, (text) => {
  const parsed = parseAddressList(text);
  return parsed.ok ? { ok: true, items: parsed.entries } : parsed;
});

/** Each setting's schema outputs exactly the stored type (lib/data/settings.ts). */
type SettingsFields = { [K in SettingKey]?: z.ZodType<SettingValue<K>, unknown> };
type SavedSettings<Fields extends SettingsFields> = { [K in keyof Fields]: Fields[K] extends z.ZodType<infer Value, unknown> ? Value : never };
type SettingsInput<Fields extends SettingsFields> = { [K in keyof Fields]: Fields[K] extends z.ZodType<unknown, infer Input> ? Input : never };

/**
 * A settings form's command. `target` is what the audit entry names (the settings page or
 * section); `detail` is the audit detail, by default `{ changed: [setting keys] }`, never a secret.
 */
function settingsCommand<const Fields extends SettingsFields>(
  target: string,
  fields: Fields,
  detail?: (saved: SavedSettings<Fields>, changed: SettingKey[]) => Record<string, unknown>,
): Command<SettingsInput<Fields>, SavedSettings<Fields>> {
  const keys = Object.keys(fields) as Array<SettingKey & keyof Fields>;
  return defineCommand(
    { name: "settings.change", permission: "write", does: "change settings", input: z.object(fields as z.ZodRawShape) },
    async (input, context) => {
      const saved = input as SavedSettings<Fields>;
      const previous = await Promise.all(keys.map((key) => getSetting(key)));
      for (const key of keys) await setSetting(key, saved[key] as SettingValue<typeof key>);
      const changed = keys.filter((key, index) => saved[key] !== previous[index]);
      if (changed.length > 0) await context.audit({ target, detail: detail?.(saved, changed) ?? { changed } });
      return saved;
    },
  ) as Command<SettingsInput<Fields>, SavedSettings<Fields>>;
}

const hookTimeoutSchema = z
  .number({ error: "Enter a number of seconds" })
  .int("Enter a whole number of seconds")
  .min(1, "At least 1 second")
  .max(3600, "At most 3600 seconds (one hour)");

/** Settings → HTTP-01 challenges. */
export const updateChallengeSettings = settingsCommand("Settings", { standalonePort: portSchema });

/** Settings → Network: what the pre-flight check uses to look at this host the way the CA does. */
export const updateNetworkSettings = settingsCommand("Network", {
  dnsResolvers: dnsResolversSchema,
  publicIPv4: addressListSchema(4),
  publicIPv6: addressListSchema(6),
  validationHttpPort: portSchema,
});

/** Settings → Renewals: the global maintenance window. */
export const updateMaintenanceWindow = settingsCommand("Renewals", { maintenanceWindow: maintenanceWindowSchema });

/** Settings → Renewals: the global hooks. The audit names the hooks that changed, never their commands (they may hold credentials). */
export const updateHookDefaults = settingsCommand("Renewals", {
  defaultPreHook: hookCommandSchema,
  defaultPostHook: hookCommandSchema,
  defaultDeployHook: hookCommandSchema,
  hookTimeoutSeconds: hookTimeoutSchema,
});

/** Settings → API tokens: who may read /metrics without a token. The list itself is audited (addresses, not secrets). */
export const updateMetricsAccess = settingsCommand("Metrics access", { metricsAllowFrom: metricsAllowFromSchema }, (saved) => ({
  metricsAllowFrom: saved.metricsAllowFrom || "(token only)",
}));
