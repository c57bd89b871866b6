import { HOOK_KINDS } from "@/lib/domain/deploy/hook-presets";

/**
 * How each global setting is entered: "number" (ports, seconds), "list" (addresses, a window:
 * monospace, no spell check or autofill), "address" (one address, monospace) or "hook" (a hook
 * command with its presets). The forms render from this; the actions convert by it.
 */
export type SettingKind = "number" | "list" | "address" | "hook";

interface SettingField {
  kind: SettingKind;
  label: string;
  /** A hint that needs the page (the server's time zone, say) is given by the page instead. */
  hint?: string;
  placeholder?: string;
}

export const SETTING_FIELDS = {
  standalonePort: {
    kind: "number",
    label: "Standalone listener port",
    hint: "Where the standalone HTTP-01 method listens while the CA validates. The CA always connects to port 80, so use another port only behind a port forward.",
  },
  dnsResolvers: {
    kind: "list",
    label: "DNS resolvers",
    hint: "IP addresses, optionally with a port, separated by commas (1.1.1.1, 9.9.9.9:53). Empty: the system's resolver. A public resolver sees what the CA sees; a local one may know internal names.",
    placeholder: "the system's resolver",
  },
  publicIPv4: { kind: "address", label: "This host's public IPv4" },
  publicIPv6: { kind: "address", label: "This host's public IPv6" },
  validationHttpPort: { kind: "number", label: "HTTP-01 port the CA connects to", hint: "80 for every public CA. Only a test CA such as Pebble uses another." },
  metricsAllowFrom: {
    kind: "list",
    label: "Addresses allowed without a token",
    hint: "IP addresses and CIDR ranges, separated by commas (127.0.0.1, 10.0.0.0/8, ::1). Empty: every scrape needs a token. The address is the one your reverse proxy reports in X-Forwarded-For; without a proxy in front, clients could claim any address, so use a token.",
    placeholder: "token only",
  },
  maintenanceWindow: { kind: "list", label: "Maintenance window", placeholder: "any time" },
  defaultPreHook: { kind: "hook", label: HOOK_KINDS.preHook.label, hint: HOOK_KINDS.preHook.description },
  defaultPostHook: { kind: "hook", label: HOOK_KINDS.postHook.label, hint: HOOK_KINDS.postHook.description },
  defaultDeployHook: { kind: "hook", label: HOOK_KINDS.deployHook.label, hint: HOOK_KINDS.deployHook.description },
  hookTimeoutSeconds: {
    kind: "number",
    label: "Timeout (seconds)",
    hint: "A hook still running after this long is stopped with everything it started, and reported as failed.",
  },
} satisfies Record<string, SettingField>;

export type SettingName = keyof typeof SETTING_FIELDS;

/** Each settings form: the settings it shows (in this order) and saves with its command, and its button. */
export const SETTINGS_FORMS = {
  challenge: { names: ["standalonePort"], saveLabel: "Save settings" },
  network: { names: ["dnsResolvers", "publicIPv4", "publicIPv6", "validationHttpPort"], saveLabel: "Save network settings" },
  maintenanceWindow: { names: ["maintenanceWindow"], saveLabel: "Save window" },
  hooks: { names: ["defaultPreHook", "defaultPostHook", "defaultDeployHook", "hookTimeoutSeconds"], saveLabel: "Save hooks" },
  metricsAccess: { names: ["metricsAllowFrom"], saveLabel: "Save metrics access" },
} as const satisfies Record<string, { names: readonly SettingName[]; saveLabel: string }>;

export type SettingsFormName = keyof typeof SETTINGS_FORMS;

export const settingField = (name: SettingName): SettingField => SETTING_FIELDS[name];
