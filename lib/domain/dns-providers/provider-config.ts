/**
 * What a DnsProvider row holds, typed: `config` (plain JSON, nothing secret) and the decrypted
 * `credentialsEnc` (JSON). Converts between the rows and the form's fields. Pure.
 */
import { z } from "zod";
import { DNS_PROVIDER_TYPES, TSIG_ALGORITHM_IDS, type DnsProviderFormInput, type DnsProviderType } from "@/lib/domain/dns-providers/dns-provider.validation";

const rfc2136ConfigSchema = z.object({
  server: z.string(),
  port: z.number().int(),
  zone: z.string().nullable(),
  tsigKeyName: z.string(),
  tsigAlgorithm: z.enum(TSIG_ALGORITHM_IDS),
});
const cloudflareConfigSchema = z.object({ zoneId: z.string().nullable() });
const rfc2136CredentialsSchema = z.object({ tsigSecret: z.string() });
const cloudflareCredentialsSchema = z.object({ apiToken: z.string() });

export type Rfc2136Config = z.infer<typeof rfc2136ConfigSchema>;
export type CloudflareConfig = z.infer<typeof cloudflareConfigSchema>;

/** A provider's settings with its secrets, for the responders only (never for a page). */
export type DnsProviderSettings =
  | { type: "rfc2136"; config: Rfc2136Config; credentials: { tsigSecret: string } }
  | { type: "cloudflare"; config: CloudflareConfig; credentials: { apiToken: string } }
  | { type: "manual"; config: Record<string, never>; credentials: null };

export type LoadedDnsProvider = { id: string; name: string; propagationTimeoutSeconds: number } & DnsProviderSettings;

/** The non-secret JSON stored in `config` for the form's input. */
export function configFromForm(input: DnsProviderFormInput): string {
  switch (input.type) {
    case "rfc2136":
      return JSON.stringify({
        server: input.rfc2136Server!,
        port: input.rfc2136Port,
        zone: input.rfc2136Zone ?? null,
        tsigKeyName: input.tsigKeyName!,
        tsigAlgorithm: input.tsigAlgorithm,
      } satisfies Rfc2136Config);
    case "cloudflare":
      return JSON.stringify({ zoneId: input.cloudflareZoneId ?? null } satisfies CloudflareConfig);
    case "manual":
      return "{}";
  }
}

/** The secret JSON (to encrypt) for the form's input, or null when it brings no new secret. */
export function credentialsFromForm(input: DnsProviderFormInput): string | null {
  if (input.type === "rfc2136" && input.tsigSecret) return JSON.stringify({ tsigSecret: input.tsigSecret });
  if (input.type === "cloudflare" && input.cloudflareApiToken) return JSON.stringify({ apiToken: input.cloudflareApiToken });
  return null;
}

/** The form field that holds a type's secret, if it has one. */
export function secretFieldOf(type: DnsProviderType): "tsigSecret" | "cloudflareApiToken" | null {
  return type === "rfc2136" ? "tsigSecret" : type === "cloudflare" ? "cloudflareApiToken" : null;
}

export function parseProviderSettings(type: string, config: string, credentialsJson: string | null): DnsProviderSettings {
  const json = JSON.parse(config) as unknown;
  switch (type) {
    case "rfc2136":
      return { type, config: rfc2136ConfigSchema.parse(json), credentials: rfc2136CredentialsSchema.parse(JSON.parse(credentialsJson ?? "null")) };
    case "cloudflare":
      return { type, config: cloudflareConfigSchema.parse(json), credentials: cloudflareCredentialsSchema.parse(JSON.parse(credentialsJson ?? "null")) };
    case "manual":
      return { type, config: {}, credentials: null };
    default:
      throw new Error(`unknown DNS provider type ${type}`);
  }
}

/** The non-secret settings as form field values (for the edit form). */
export function formValuesOf(type: string, config: string): Record<string, string> {
  const json = JSON.parse(config) as unknown;
  if (type === "rfc2136") {
    const parsed = rfc2136ConfigSchema.parse(json);
    return {
      rfc2136Server: parsed.server,
      rfc2136Port: String(parsed.port),
      rfc2136Zone: parsed.zone ?? "",
      tsigKeyName: parsed.tsigKeyName,
      tsigAlgorithm: parsed.tsigAlgorithm,
    };
  }
  if (type === "cloudflare") return { cloudflareZoneId: cloudflareConfigSchema.parse(json).zoneId ?? "" };
  return {};
}

/** One line for the list: "ns1.example.com:53, key certdeck", "zone 023e…c353", "you create the records". */
export function summarizeConfig(type: string, config: string): string {
  const json = JSON.parse(config) as unknown;
  if (type === "rfc2136") {
    const parsed = rfc2136ConfigSchema.parse(json);
    return `${parsed.server}:${parsed.port}, key ${parsed.tsigKeyName} (${parsed.tsigAlgorithm})${parsed.zone ? `, zone ${parsed.zone}` : ""}`;
  }
  if (type === "cloudflare") {
    const { zoneId } = cloudflareConfigSchema.parse(json);
    return zoneId ? `zone ID ${zoneId}` : "zones found by name";
  }
  return "you create the TXT records, CertDeck checks them";
}

export function typeLabelOf(type: string): string {
  return DNS_PROVIDER_TYPES[type as DnsProviderType]?.label ?? type;
}
