import { z } from "zod";
import { db } from "@/lib/data/client";

/** Every setting, its type and default. Values are stored as JSON strings in the Setting table. */
const SETTINGS = {
  standalonePort: z.number().int().min(1).max(65535).default(80),
  /** The port the tls-alpn-01 listener opens (443 on the internet; the CA always connects to 443). */
  tlsAlpnPort: z.number().int().min(1).max(65535).default(443),
  /**
   * The port authoritative nameservers are asked on by the DNS-01 propagation check: 53 on the
   * internet; a lab nameserver (or the test suite's BIND) may listen elsewhere.
   */
  authoritativeDnsPort: z.number().int().min(1).max(65535).default(53),
  /**
   * Renewal orders in flight at once. 8 keeps a fleet's renewals quick while staying far inside
   * Let's Encrypt's request rate limits (each renewal sends about 15 requests over seconds).
   */
  renewalConcurrency: z.number().int().min(1).max(32).default(8),
  /** Global maintenance window (see lib/domain/deploy/maintenance-window.ts); "" = any time. */
  maintenanceWindow: z.string().max(200).default(""),
  /** Global certbot-style hooks; "" = none. A certificate's own value (even "") wins. */
  defaultPreHook: z.string().max(4000).default(""),
  defaultPostHook: z.string().max(4000).default(""),
  defaultDeployHook: z.string().max(4000).default(""),
  hookTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
  /** Pre-flight DNS resolvers ("1.1.1.1, 8.8.8.8:53"); "" = the system's. */
  dnsResolvers: z.string().max(500).default(""),
  /** This host's public addresses as the CA sees them; "" = detect from the interfaces. */
  publicIPv4: z.string().max(200).default(""),
  publicIPv6: z.string().max(200).default(""),
  /** The port the CA connects to for HTTP-01: 80 on the internet; test CAs may use another. */
  validationHttpPort: z.number().int().min(1).max(65535).default(80),
  /** SHA-256 of the first-run setup code while no user exists (lib/domain/auth/first-run.ts); "" = none. */
  setupCodeHash: z.string().default(""),
  /** Addresses and CIDR ranges that may read /metrics without a token (lib/web/metrics-allow-list.ts); "" = token only. */
  metricsAllowFrom: z.string().max(2000).default(""),
} satisfies Record<string, z.ZodType>;

export type SettingKey = keyof typeof SETTINGS;

/**
 * Environment variables that give a setting its value until it is saved in the dashboard, for
 * unattended installs and for the local test CA (`npm run demo`, the e2e tests).
 */
const ENVIRONMENT_DEFAULTS: Partial<Record<SettingKey, string>> = {
  standalonePort: "CERTDECK_STANDALONE_PORT",
  tlsAlpnPort: "CERTDECK_TLS_ALPN_PORT",
  authoritativeDnsPort: "CERTDECK_AUTHORITATIVE_DNS_PORT",
  dnsResolvers: "CERTDECK_DNS_RESOLVERS",
  publicIPv4: "CERTDECK_PUBLIC_IPV4",
  publicIPv6: "CERTDECK_PUBLIC_IPV6",
  validationHttpPort: "CERTDECK_VALIDATION_HTTP_PORT",
  renewalConcurrency: "CERTDECK_RENEWAL_CONCURRENCY",
  metricsAllowFrom: "CERTDECK_METRICS_ALLOW_FROM",
};

function environmentDefault(key: SettingKey): unknown {
  const variable = ENVIRONMENT_DEFAULTS[key];
  const value = variable ? process.env[variable] : undefined;
  if (value === undefined) return undefined;
  return SETTINGS[key] instanceof z.ZodDefault && typeof SETTINGS[key].parse(undefined) === "number" ? Number(value) : value;
}
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]>;

/**
 * The stored values (JSON by key), read in one query and kept for STORED_VALUES_MS: a job reads
 * a dozen settings (runner concurrency, pre-flight, hooks, challenge ports), a hundred renewals
 * read them a thousand times. Every write in this process drops them at once; a write by another
 * process (a second instance on the same data directory) is seen within STORED_VALUES_MS.
 * Kept on globalThis: Next.js may load this module once per bundle (the job runner's and the
 * pages'), and a page's write must reach the runner.
 */
const STORED_VALUES_MS = 2000;

interface StoredValues {
  values: Promise<Map<string, string>> | null;
  readAt: number;
  /** Bumped by every write, so a read that overlapped a write is not kept. */
  generation: number;
}

const globalForSettings = globalThis as unknown as { certdeckStoredSettings?: StoredValues };
const stored = (globalForSettings.certdeckStoredSettings ??= { values: null, readAt: 0, generation: 0 });

function storedValues(): Promise<Map<string, string>> {
  const now = Date.now();
  if (stored.values && now - stored.readAt < STORED_VALUES_MS) return stored.values;
  const generation = stored.generation;
  const values = db.setting.findMany({ select: { key: true, value: true } }).then((rows) => new Map(rows.map((row) => [row.key, row.value])));
  stored.values = values;
  stored.readAt = now;
  values.then(
    () => {
      if (stored.generation !== generation && stored.values === values) stored.values = null;
    },
    () => {
      if (stored.values === values) stored.values = null;
    },
  );
  return values;
}

export async function getSetting<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
  const value = (await storedValues()).get(key);
  const parsed = SETTINGS[key].safeParse(value !== undefined ? JSON.parse(value) : environmentDefault(key));
  return (parsed.success ? parsed.data : SETTINGS[key].parse(undefined)) as SettingValue<K>;
}

export async function setSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
  const json = JSON.stringify(SETTINGS[key].parse(value));
  stored.generation += 1;
  stored.values = null;
  try {
    await db.setting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
  } finally {
    // Reads that started while the row was written may hold the old value.
    stored.generation += 1;
    stored.values = null;
  }
}
