/**
 * DNS providers (Settings → DNS providers): create, change, delete, list, test. Secrets (TSIG
 * secret, API token) are stored encrypted in `credentialsEnc`, shown back only as a mask
 * ("••••ab12"), never audited or logged; a secret field left empty on change keeps the stored one.
 * Only loadDnsProviderWithSecrets returns them, for the DNS-01 responders.
 */
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { testCloudflareProvider } from "@/lib/protocol/dns/cloudflare/cloudflare-publisher";
import { dnsProviderFormSchema, type DnsProviderFormInput, type DnsProviderType } from "@/lib/domain/dns-providers/dns-provider.validation";
import {
  configFromForm,
  credentialsFromForm,
  formValuesOf,
  maskSecret,
  parseProviderSettings,
  secretFieldOf,
  summarizeConfig,
  typeLabelOf,
  type LoadedDnsProvider,
} from "@/lib/domain/dns-providers/provider-config";
import { testRfc2136Provider } from "@/lib/protocol/dns/rfc2136/rfc2136-publisher";
import type { DnsProviderTestResult } from "@/lib/protocol/dns/txt-publisher";
import { AppError } from "@/lib/core/app-error";
import { Prisma } from "@/lib/generated/prisma/client";
import { decryptSecret, encryptSecret } from "@/lib/data/secret-box";

export { DNS_PROVIDER_TYPES, dnsProviderFormSchema, type DnsProviderType } from "@/lib/domain/dns-providers/dns-provider.validation";
export type { DnsProviderTestResult } from "@/lib/protocol/dns/txt-publisher";
export type { LoadedDnsProvider } from "@/lib/domain/dns-providers/provider-config";

export type DnsProviderFormResult =
  | { ok: true; id: string }
  | { ok: false; fieldErrors: Record<string, string[]>; formError?: string; values?: Record<string, string> };

export interface DnsProviderRow {
  id: string;
  name: string;
  type: DnsProviderType;
  typeLabel: string;
  /** "ns1.example.com:53, key certdeck (hmac-sha256)" */
  summary: string;
  /** "••••ab12", or null for the manual type. */
  credentialHint: string | null;
  propagationTimeoutSeconds: number;
  /** How many certificates use this provider. */
  usedBy: number;
}

export interface DnsProviderForEdit extends DnsProviderRow {
  /** The form's fields with their stored values; secret fields are absent (the hint stands for them). */
  values: Record<string, string>;
  /** The certificates that use it, for the page. */
  certificates: Array<{ id: string; name: string }>;
}

interface AuditOptions {
  ip?: string | null;
}

/** Submitted values to show again after an error: everything but the secrets. */
function echoValues(raw: unknown): Record<string, string> | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === "string" && key !== "tsigSecret" && key !== "cloudflareApiToken") values[key] = value;
  }
  return values;
}

function invalid(raw: unknown, fieldErrors: Record<string, string[] | undefined>, formError?: string): DnsProviderFormResult {
  const errors = Object.fromEntries(Object.entries(fieldErrors).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0));
  return { ok: false, fieldErrors: errors, ...(formError ? { formError } : {}), values: echoValues(raw) };
}

function parseForm(raw: unknown): { ok: true; input: DnsProviderFormInput } | { ok: false; result: DnsProviderFormResult } {
  const parsed = dnsProviderFormSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, result: invalid(raw, z.flattenError(parsed.error).fieldErrors) };
  return { ok: true, input: parsed.data };
}

function secretRequired(type: DnsProviderType): Record<string, string[]> {
  const field = secretFieldOf(type);
  if (field === "tsigSecret") return { tsigSecret: ["Paste the TSIG secret (base64, from the server's key file)"] };
  if (field === "cloudflareApiToken") return { cloudflareApiToken: ["Paste the Cloudflare API token"] };
  return {};
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

const NAME_TAKEN = "Another DNS provider has this name; choose another";

export async function createDnsProvider(raw: unknown, actor: string, options: AuditOptions = {}): Promise<DnsProviderFormResult> {
  const parsed = parseForm(raw);
  if (!parsed.ok) return parsed.result;
  const { input } = parsed;
  const credentials = credentialsFromForm(input);
  if (secretFieldOf(input.type) && !credentials) return invalid(raw, secretRequired(input.type));
  if (await db.dnsProvider.findUnique({ where: { name: input.name }, select: { id: true } })) return invalid(raw, { name: [NAME_TAKEN] });
  const config = configFromForm(input);
  let id: string;
  try {
    ({ id } = await db.dnsProvider.create({
      data: {
        name: input.name,
        type: input.type,
        config,
        credentialsEnc: credentials ? encryptSecret(credentials) : null,
        propagationTimeoutSeconds: input.propagationTimeoutSeconds,
      },
      select: { id: true },
    }));
  } catch (error) {
    if (isUniqueViolation(error)) return invalid(raw, { name: [NAME_TAKEN] });
    throw error;
  }
  await recordAuditEvent({
    actor,
    action: "dns-provider.add",
    target: input.name,
    detail: { type: input.type, settings: summarizeConfig(input.type, config) },
    ip: options.ip,
  });
  return { ok: true, id };
}

export async function updateDnsProvider(id: string, raw: unknown, actor: string, options: AuditOptions = {}): Promise<DnsProviderFormResult> {
  const existing = await db.dnsProvider.findUnique({ where: { id }, omit: { credentialsEnc: false } });
  if (!existing) return invalid(raw, {}, "That DNS provider no longer exists.");
  const parsed = parseForm(raw);
  if (!parsed.ok) return parsed.result;
  const { input } = parsed;
  const newCredentials = credentialsFromForm(input);
  const keepsSecret = !newCredentials && input.type === existing.type && existing.credentialsEnc !== null;
  if (secretFieldOf(input.type) && !newCredentials && !keepsSecret) return invalid(raw, secretRequired(input.type));
  if (input.name !== existing.name && (await db.dnsProvider.findUnique({ where: { name: input.name }, select: { id: true } }))) {
    return invalid(raw, { name: [NAME_TAKEN] });
  }
  const config = configFromForm(input);
  const credentialsEnc = newCredentials ? encryptSecret(newCredentials) : keepsSecret ? existing.credentialsEnc : null;
  try {
    await db.dnsProvider.update({
      where: { id },
      data: { name: input.name, type: input.type, config, credentialsEnc, propagationTimeoutSeconds: input.propagationTimeoutSeconds },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid(raw, { name: [NAME_TAKEN] });
    throw error;
  }
  const changed = [
    ...(existing.name !== input.name ? ["name"] : []),
    ...(existing.type !== input.type ? ["type"] : []),
    ...(existing.config !== config ? ["settings"] : []),
    ...(newCredentials ? [secretFieldOf(input.type) === "tsigSecret" ? "TSIG secret" : "API token"] : []),
    ...(existing.propagationTimeoutSeconds !== input.propagationTimeoutSeconds ? ["propagation timeout"] : []),
  ];
  if (changed.length > 0) {
    await recordAuditEvent({
      actor,
      action: "dns-provider.change",
      target: input.name,
      detail: { changed, type: input.type, settings: summarizeConfig(input.type, config) },
      ip: options.ip,
    });
  }
  return { ok: true, id };
}

/** Refused while certificates use the provider: they would be left without a way to renew. */
export async function deleteDnsProvider(id: string, actor: string, options: AuditOptions = {}): Promise<DnsProviderFormResult> {
  const provider = await db.dnsProvider.findUnique({
    where: { id },
    select: { name: true, type: true, certificates: { select: { name: true }, orderBy: { name: "asc" } } },
  });
  if (!provider) return { ok: false, fieldErrors: {}, formError: "That DNS provider no longer exists." };
  if (provider.certificates.length > 0) {
    const names = provider.certificates.map((certificate) => certificate.name);
    const listed = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
    return {
      ok: false,
      fieldErrors: {},
      formError: `${provider.name} is used by ${names.length === 1 ? "the certificate" : `${names.length} certificates:`} ${listed}. Choose another challenge method or DNS provider for ${names.length === 1 ? "it" : "them"} first.`,
    };
  }
  const { count } = await db.dnsProvider.deleteMany({ where: { id, certificates: { none: {} } } });
  if (count === 0) return { ok: false, fieldErrors: {}, formError: `${provider.name} was just chosen for a certificate; it was not deleted.` };
  await recordAuditEvent({ actor, action: "dns-provider.delete", target: provider.name, detail: { type: provider.type }, ip: options.ip });
  return { ok: true, id };
}

function credentialHintOf(type: string, credentialsEnc: string | null): string | null {
  if (!credentialsEnc || !secretFieldOf(type as DnsProviderType)) return null;
  try {
    const credentials = JSON.parse(decryptSecret(credentialsEnc)) as { tsigSecret?: string; apiToken?: string };
    const secret = credentials.tsigSecret ?? credentials.apiToken;
    return secret ? maskSecret(secret) : null;
  } catch {
    return "(cannot be decrypted: enter it again)";
  }
}

type ProviderWithUse = {
  id: string;
  name: string;
  type: string;
  config: string;
  credentialsEnc: string | null;
  propagationTimeoutSeconds: number;
  _count: { certificates: number };
};

function toRow(provider: ProviderWithUse): DnsProviderRow {
  return {
    id: provider.id,
    name: provider.name,
    type: provider.type as DnsProviderType,
    typeLabel: typeLabelOf(provider.type),
    summary: summarizeConfig(provider.type, provider.config),
    credentialHint: credentialHintOf(provider.type, provider.credentialsEnc),
    propagationTimeoutSeconds: provider.propagationTimeoutSeconds,
    usedBy: provider._count.certificates,
  };
}

export async function listDnsProviders(): Promise<DnsProviderRow[]> {
  const providers = await db.dnsProvider.findMany({
    orderBy: { name: "asc" },
    omit: { credentialsEnc: false },
    include: { _count: { select: { certificates: true } } },
  });
  return providers.map(toRow);
}

/** The edit form's data: non-secret fields and the secret's mask only. Null when it does not exist. */
export async function getDnsProviderForEdit(id: string): Promise<DnsProviderForEdit | null> {
  const provider = await db.dnsProvider.findUnique({
    where: { id },
    omit: { credentialsEnc: false },
    include: { _count: { select: { certificates: true } }, certificates: { select: { id: true, name: true }, orderBy: { name: "asc" } } },
  });
  if (!provider) return null;
  return {
    ...toRow(provider),
    values: {
      name: provider.name,
      type: provider.type,
      propagationTimeoutSeconds: String(provider.propagationTimeoutSeconds),
      ...formValuesOf(provider.type, provider.config),
    },
    certificates: provider.certificates,
  };
}

/** Server-only: the provider with its decrypted secrets, for the DNS-01 responders. */
export async function loadDnsProviderWithSecrets(id: string): Promise<LoadedDnsProvider> {
  const provider = await db.dnsProvider.findUnique({ where: { id }, omit: { credentialsEnc: false } });
  if (!provider) {
    throw new AppError("not_found", "The DNS provider chosen for this certificate no longer exists. Choose another one in the certificate's settings.");
  }
  let credentials: string | null = null;
  if (provider.credentialsEnc) {
    try {
      credentials = decryptSecret(provider.credentialsEnc);
    } catch (error) {
      throw new AppError(
        "invalid_input",
        `The credentials of the DNS provider "${provider.name}" cannot be decrypted (was CertDeck's master key replaced?). Enter the secret again in the provider's settings.`,
        { cause: error },
      );
    }
  }
  try {
    return { id: provider.id, name: provider.name, propagationTimeoutSeconds: provider.propagationTimeoutSeconds, ...parseProviderSettings(provider.type, provider.config, credentials) };
  } catch (error) {
    throw new AppError("invalid_input", `The settings of the DNS provider "${provider.name}" are incomplete. Open the provider's settings, check them and save.`, { cause: error });
  }
}

/** The "Test" button: checks the provider's settings against the real server or API, in plain words. */
export async function testDnsProvider(id: string): Promise<DnsProviderTestResult> {
  let provider: LoadedDnsProvider;
  try {
    provider = await loadDnsProviderWithSecrets(id);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, message: error.userMessage, steps: [{ ok: false, message: error.userMessage }] };
  }
  switch (provider.type) {
    case "rfc2136":
      return testRfc2136Provider(provider, AbortSignal.timeout(30_000));
    case "cloudflare":
      return testCloudflareProvider(provider);
    case "manual":
      return {
        ok: true,
        message: "Nothing to test: with the manual provider you create the TXT records yourself, and CertDeck checks every authoritative nameserver before it asks the CA.",
        steps: [],
      };
  }
}
