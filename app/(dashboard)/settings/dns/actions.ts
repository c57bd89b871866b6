"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import type { DnsProviderInput, DnsProviderType, TsigAlgorithm } from "@/lib/domain/dns-providers/dns-provider.validation";
import {
  createDnsProvider,
  deleteDnsProvider,
  testDnsProvider,
  updateDnsProvider,
  type DnsProviderTestResult,
} from "@/lib/domain/dns-providers/provider-store";
import type { Actor } from "@/lib/domain/command/actor";
import { formAction, idFrom, type FormValues } from "@/lib/web/form-action";
import { optionalNumberInput, optionalTextInput, withoutFields } from "@/lib/web/form-input";
import { tested, toDialogState, toFormState, type FormState, type TestState } from "@/lib/web/form-state";

const PAGE = SETTINGS_SECTIONS.dns.href;
const NO_SUCH_PROVIDER = "That DNS provider no longer exists.";

/** The form's fields as the provider commands take them: numbers as numbers, empty = not given. */
function toDnsProviderInput(values: Record<string, string>): DnsProviderInput {
  return {
    name: values.name,
    type: values.type as DnsProviderType,
    propagationTimeoutSeconds: optionalNumberInput(values.propagationTimeoutSeconds),
    rfc2136Server: values.rfc2136Server,
    rfc2136Port: optionalNumberInput(values.rfc2136Port),
    rfc2136Zone: values.rfc2136Zone,
    tsigKeyName: values.tsigKeyName,
    tsigAlgorithm: optionalTextInput(values.tsigAlgorithm) as TsigAlgorithm | undefined,
    tsigSecret: values.tsigSecret,
    cloudflareApiToken: values.cloudflareApiToken,
    cloudflareZoneId: values.cloudflareZoneId,
  };
}

/** A malformed id in the hidden field is a provider that does not exist. */
function providerFormState(error: unknown, values?: Record<string, string>): FormState {
  const state = toFormState(error, values);
  return state.fieldErrors?.id ? { formError: NO_SUCH_PROVIDER } : state;
}

/** Adds a DNS provider, or changes the one the form came from (a secret left empty keeps the stored one). */
function createOrUpdateProvider(actor: Actor, { providerId, ...submitted }: FormValues) {
  const input = toDnsProviderInput(submitted);
  return providerId ? updateDnsProvider(actor, { id: providerId, ...input }) : createDnsProvider(actor, input);
}

/** Adds a DNS provider, or saves one. Audited by the command. */
export const saveDnsProviderAction = formAction(
  createOrUpdateProvider,
  (values) => values,
  (saved): FormState => {
    revalidatePath(PAGE);
    redirect(`${PAGE}?saved=${saved.id}`);
  },
  // Secrets are never sent back to the browser.
  (error, values) => providerFormState(error, withoutFields(values, "providerId", "tsigSecret", "cloudflareApiToken")),
);

/** Refused (with the certificates named) while certificates use the provider. */
export const deleteDnsProviderAction = formAction(
  deleteDnsProvider,
  idFrom("providerId"),
  (): FormState => {
    revalidatePath(PAGE);
    redirect(PAGE);
  },
  (error) => ({ formError: toDialogState(error, NO_SUCH_PROVIDER).formError ?? "The DNS provider could not be deleted." }),
);

export type TestDnsProviderState = TestState<DnsProviderTestResult>;

/** "Test": checks the settings against the real server or API (the command bounds it to 30 s). */
export const testDnsProviderAction = formAction(testDnsProvider, idFrom("providerId"), tested, (error) =>
  tested<DnsProviderTestResult>({ ok: false, message: toDialogState(error, NO_SUCH_PROVIDER).formError ?? NO_SUCH_PROVIDER, steps: [] }),
);
