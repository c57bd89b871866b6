/**
 * DNS providers (Settings → DNS providers): the commands to create, change, delete and test them,
 * and the queries that list them. Secrets (TSIG secret, API token) are stored encrypted in
 * `credentialsEnc`, shown back only as a mask (lib/core/secret-mask.ts), never audited or logged;
 * a secret field left empty on change keeps the stored one. Only loadDnsProviderWithSecrets
 * returns them, for the DNS-01 responders.
 */
import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { maskSecret } from "@/lib/core/secret-mask";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { defineCommand } from "@/lib/domain/command/define-command";
import { testCloudflareProvider } from "@/lib/protocol/dns/cloudflare/cloudflare-publisher";
import { dnsProviderFormSchema, dnsProviderUpdateSchema, type DnsProviderType } from "@/lib/domain/dns-providers/dns-provider.validation";
import {
  configFromForm,
  credentialsFromForm,
  formValuesOf,
  parseProviderSettings,
  secretFieldOf,
  summarizeConfig,
  typeLabelOf,
  type LoadedDnsProvider,
} from "@/lib/domain/dns-providers/provider-config";
import { testRfc2136Provider } from "@/lib/protocol/dns/rfc2136/rfc2136-publisher";
import type { DnsProviderTestResult } from "@/lib/protocol/dns/txt-publisher";
import { decryptSecret, encryptSecret } from "@/lib/data/secret-box";

export { DNS_PROVIDER_TYPES, dnsProviderFormSchema, type DnsProviderType } from "@/lib/domain/dns-providers/dns-provider.validation";
export type { DnsProviderTestResult } from "@/lib/protocol/dns/txt-publisher";
export type { LoadedDnsProvider } from "@/lib/domain/dns-providers/provider-config";

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

const NO_SUCH_PROVIDER = "That DNS provider no longer exists.";
const NAME_TAKEN = "Another DNS provider has this name; choose another";

function secretRequired(type: DnsProviderType): AppError {
  const field = secretFieldOf(type);
  const message = field === "tsigSecret" ? "Paste the TSIG secret (base64, from the server's key file)" : "Paste the Cloudflare API token";
  return fieldError(field ?? "", message);
}

async function assertNameFree(name: string): Promise<void> {
  if (await db.dnsProvider.findUnique({ where: { name }, select: { id: true } })) throw fieldError("name", NAME_TAKEN);
}

/** Runs a write that may hit the unique name (two saves at once): the loser gets the field error. */
async function withUniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError("name", NAME_TAKEN);
    throw error;
  }
}

export const createDnsProvider = defineCommand(
  { name: "dns-provider.add", permission: "write", does: "change DNS providers", input: dnsProviderFormSchema },
  async (input, context) => {
    const credentials = credentialsFromForm(input);
    if (secretFieldOf(input.type) && !credentials) throw secretRequired(input.type);
    await assertNameFree(input.name);
    const config = configFromForm(input);
    const { id } = await withUniqueName(() =>
      db.dnsProvider.create({
        data: {
          name: input.name,
          type: input.type,
          config,
          credentialsEnc: credentials ? encryptSecret(credentials) : null,
          propagationTimeoutSeconds: input.propagationTimeoutSeconds,
        },
        select: { id: true },
      }),
    );
    await context.audit({ target: input.name, detail: { type: input.type, settings: summarizeConfig(input.type, config) } });
    return { id };
  },
);

/** Saves a provider's settings; a secret field left empty keeps the stored secret (same type only). */
export const updateDnsProvider = defineCommand(
  { name: "dns-provider.change", permission: "write", does: "change DNS providers", input: dnsProviderUpdateSchema },
  async ({ id, ...input }, context) => {
    const existing = await db.dnsProvider.findUnique({ where: { id }, omit: { credentialsEnc: false } });
    if (!existing) throw new AppError("not_found", NO_SUCH_PROVIDER);
    const newCredentials = credentialsFromForm(input);
    const keepsSecret = !newCredentials && input.type === existing.type && existing.credentialsEnc !== null;
    if (secretFieldOf(input.type) && !newCredentials && !keepsSecret) throw secretRequired(input.type);
    if (input.name !== existing.name) await assertNameFree(input.name);
    const config = configFromForm(input);
    const credentialsEnc = newCredentials ? encryptSecret(newCredentials) : keepsSecret ? existing.credentialsEnc : null;
    await withUniqueName(() =>
      db.dnsProvider.update({
        where: { id },
        data: { name: input.name, type: input.type, config, credentialsEnc, propagationTimeoutSeconds: input.propagationTimeoutSeconds },
      }),
    );
    // Which settings changed; a new secret is named, never shown.
    const changed = [
      ...(existing.name !== input.name ? ["name"] : []),
      ...(existing.type !== input.type ? ["type"] : []),
      ...(existing.config !== config ? ["settings"] : []),
      ...(newCredentials ? [secretFieldOf(input.type) === "tsigSecret" ? "TSIG secret" : "API token"] : []),
      ...(existing.propagationTimeoutSeconds !== input.propagationTimeoutSeconds ? ["propagation timeout"] : []),
    ];
    if (changed.length > 0) {
      await context.audit({ target: input.name, detail: { changed, type: input.type, settings: summarizeConfig(input.type, config) } });
    }
    return { id };
  },
);

/** Refused while certificates use the provider: they would be left without a way to renew. */
export const deleteDnsProvider = defineCommand(
  { name: "dns-provider.delete", permission: "write", does: "change DNS providers", input: z.object({ id: idSchema }) },
  async ({ id }, context) => {
    const provider = await db.dnsProvider.findUnique({
      where: { id },
      select: { name: true, type: true, certificates: { select: { name: true }, orderBy: { name: "asc" } } },
    });
    if (!provider) throw new AppError("not_found", NO_SUCH_PROVIDER);
    if (provider.certificates.length > 0) {
      const names = provider.certificates.map((certificate) => certificate.name);
      const listed = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      throw new AppError(
        "conflict",
        `${provider.name} is used by ${names.length === 1 ? "the certificate" : `${names.length} certificates:`} ${listed}. Choose another challenge method or DNS provider for ${names.length === 1 ? "it" : "them"} first.`,
      );
    }
    const { count } = await db.dnsProvider.deleteMany({ where: { id, certificates: { none: {} } } });
    if (count === 0) throw new AppError("conflict", `${provider.name} was just chosen for a certificate; it was not deleted.`);
    await context.audit({ target: provider.name, detail: { type: provider.type } });
  },
);

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
    return {
      id: provider.id,
      name: provider.name,
      propagationTimeoutSeconds: provider.propagationTimeoutSeconds,
      ...parseProviderSettings(provider.type, provider.config, credentials),
    };
  } catch (error) {
    throw new AppError(
      "invalid_input",
      `The settings of the DNS provider "${provider.name}" are incomplete. Open the provider's settings, check them and save.`,
      { cause: error },
    );
  }
}

/**
 * The "Test" button: checks the provider's settings against the real server or API (bounded to
 * 30 s), step by step in plain words. A failing check is the answer, not an error of this command.
 */
export const testDnsProvider = defineCommand(
  { name: "dns-provider.test", permission: "write", does: "test DNS providers", input: z.object({ id: idSchema }) },
  async ({ id }): Promise<DnsProviderTestResult> => {
    let provider: LoadedDnsProvider;
    try {
      provider = await loadDnsProviderWithSecrets(id);
    } catch (error) {
      // Deleted meanwhile, or its secret unreadable: that is the test's answer.
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
          message:
            "Nothing to test: with the manual provider you create the TXT records yourself, and CertDeck checks every authoritative nameserver before it asks the CA.",
          steps: [],
        };
    }
  },
);
