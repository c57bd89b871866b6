"use client";

import { useActionState, useState } from "react";
import { FormError } from "@/components/form-error";
import { SaveOrCancel } from "@/components/save-bar";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { CodeField, Field, Input, InputField, NameField, NumberField, Select, type FormView } from "@/components/ui/form-field";
import { RadioCards } from "@/components/ui/radio-cards";
import type { FormState } from "@/lib/web/form-state";
import { saveDnsProviderAction } from "./actions";
import { BindSetupHelp, CloudflareSetupHelp, ManualSetupHelp } from "./setup-help";

export interface DnsProviderFormProps {
  /** Absent when adding. */
  provider?: {
    id: string;
    type: string;
    /** Stored non-secret values by field name. */
    values: Record<string, string>;
    /** "••••ab12" when a secret is stored. */
    credentialHint: string | null;
  };
  /** Type id → label, and the TSIG algorithms (from the page, so zod stays out of the browser bundle). */
  types: Array<{ id: string; label: string }>;
  tsigAlgorithms: readonly string[];
  defaultPropagationTimeoutSeconds: number;
}

const SAVED_SECRET = "saved — leave empty to keep";

/**
 * Add or change a DNS provider. The fields follow the type; the other types' fields stay mounted
 * (hidden) so switching back keeps what was typed. Secrets are never sent back to the browser.
 */
export function DnsProviderForm({ provider, types, tsigAlgorithms, defaultPropagationTimeoutSeconds }: DnsProviderFormProps) {
  const [state, formAction] = useActionState<FormState, FormData>(saveDnsProviderAction, {});
  const errors = state.fieldErrors ?? {};
  const values: Record<string, string | undefined> = { ...provider?.values, ...state.values };
  const form: FormView = { values, errors };
  const [type, setType] = useState(values.type ?? "rfc2136");
  // The stored secret is kept only when the type stays what it was.
  const hasSavedSecret = Boolean(provider?.credentialHint) && provider?.type === type;
  const secretPlaceholder = hasSavedSecret ? `${provider?.credentialHint} ${SAVED_SECRET}` : undefined;

  return (
    <form action={formAction} className="space-y-5" noValidate>
      {provider && <input type="hidden" name="providerId" value={provider.id} />}
      <input type="hidden" name="type" value={type} />

      <NameField hint="How certificates refer to it, e.g. “BIND at ns1” or “Cloudflare example.com”." form={form} isAdding={!provider} />

      <RadioCards legend="Kind" name="typeChoice" choices={types} value={type} onChange={setType} errorsId="type-error" errors={errors.type} />

      <div hidden={type !== "rfc2136"} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-[1fr_6rem]">
          <CodeField
            id="rfc2136Server"
            label="DNS server"
            hint="The primary server that accepts dynamic updates: host name or IP address."
            form={form}
            autoComplete="off"
            placeholder="ns1.example.com"
          />
          <InputField id="rfc2136Port" label="Port" form={form} inputMode="numeric" placeholder="53" />
        </div>
        <CodeField
          id="rfc2136Zone"
          label="Zone (optional)"
          hint="Leave empty to find each name's zone from its SOA record."
          form={form}
          autoComplete="off"
          placeholder="example.com"
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <CodeField id="tsigKeyName" label="TSIG key name" form={form} autoComplete="off" placeholder="certdeck" />
          <Field id="tsigAlgorithm" label="Algorithm" errors={errors.tsigAlgorithm}>
            <Select id="tsigAlgorithm" defaultValue={values.tsigAlgorithm ?? tsigAlgorithms[0]} errors={errors.tsigAlgorithm}>
              {tsigAlgorithms.map((algorithm) => (
                <option key={algorithm} value={algorithm}>
                  {algorithm}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <SecretField
          id="tsigSecret"
          label="TSIG secret"
          hint={
            hasSavedSecret
              ? "Stored encrypted and never shown again. Type a new one only to replace it."
              : "The base64 secret from the key file; stored encrypted and never shown again."
          }
          placeholder={secretPlaceholder}
          errors={errors.tsigSecret}
        />
        <BindSetupHelp isOpen={!provider} />
      </div>

      <div hidden={type !== "cloudflare"} className="space-y-4">
        <SecretField
          id="cloudflareApiToken"
          label="API token"
          hint={hasSavedSecret ? "Stored encrypted and never shown again. Paste a new one only to replace it." : "Stored encrypted and never shown again."}
          placeholder={secretPlaceholder}
          errors={errors.cloudflareApiToken}
        />
        <CodeField
          id="cloudflareZoneId"
          label="Zone ID (optional)"
          hint="Leave empty to find the zone by name for each certificate."
          form={form}
          autoComplete="off"
        />
        <CloudflareSetupHelp />
      </div>

      <div hidden={type !== "manual"}>
        <ManualSetupHelp />
      </div>

      <NumberField
        id="propagationTimeoutSeconds"
        label="Propagation timeout (seconds)"
        hint={
          type === "manual"
            ? "After you press Done, how long CertDeck keeps asking every authoritative nameserver for the records before it asks you again."
            : "How long CertDeck waits for the records to show at every authoritative nameserver before it gives up."
        }
        form={form}
        placeholder={String(defaultPropagationTimeoutSeconds)}
      />

      <FormError message={state.formError} />
      <SaveOrCancel label={provider ? "Save provider" : "Add provider"} cancelHref={SETTINGS_SECTIONS.dns.href} />
    </form>
  );
}

/** A provider's secret: a password input that is never filled in again; the placeholder says when one is saved. */
function SecretField({ id, label, hint, placeholder, errors }: { id: string; label: string; hint: string; placeholder?: string; errors?: string[] }) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <Input id={id} type="password" hasHint autoComplete="new-password" spellCheck={false} placeholder={placeholder} errors={errors} className="font-mono" />
    </Field>
  );
}
