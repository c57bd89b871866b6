"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { DnsProviderInput, DnsProviderType, TsigAlgorithm } from "@/lib/domain/dns-providers/dns-provider.validation";
import { createDnsProvider, deleteDnsProvider, testDnsProvider, updateDnsProvider, type DnsProviderTestResult } from "@/lib/domain/dns-providers/provider-store";
import { requireActor } from "@/lib/web/actor";
import { optionalNumberInput, optionalTextInput, withoutFields } from "@/lib/web/form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

const PAGE = "/settings/dns";
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

/** Adds a DNS provider, or saves one (a secret left empty keeps the stored one). Audited by the command. */
export async function saveDnsProviderAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const { providerId, ...submitted } = formValues(formData);
  // Secrets are never sent back to the browser.
  const values = withoutFields(submitted, "tsigSecret", "cloudflareApiToken");
  let saved;
  try {
    const input = toDnsProviderInput(submitted);
    saved = providerId ? await updateDnsProvider(actor, { id: providerId, ...input }) : await createDnsProvider(actor, input);
  } catch (error) {
    return providerFormState(error, values);
  }
  revalidatePath(PAGE);
  redirect(`${PAGE}?saved=${saved.id}`);
}

/** Refused (with the certificates named) while certificates use the provider. */
export async function deleteDnsProviderAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await deleteDnsProvider(actor, { id: String(formData.get("providerId") ?? "") });
  } catch (error) {
    const state = providerFormState(error);
    return { formError: state.formError ?? "The DNS provider could not be deleted." };
  }
  revalidatePath(PAGE);
  redirect(PAGE);
}

export interface TestDnsProviderState {
  result?: DnsProviderTestResult;
  testedAt?: number;
}

/** "Test": checks the settings against the real server or API (the command bounds it to 30 s). */
export async function testDnsProviderAction(_previous: TestDnsProviderState, formData: FormData): Promise<TestDnsProviderState> {
  const actor = await requireActor();
  try {
    return { result: await testDnsProvider(actor, { id: String(formData.get("providerId") ?? "") }), testedAt: Date.now() };
  } catch (error) {
    const message = providerFormState(error).formError ?? NO_SUCH_PROVIDER;
    return { result: { ok: false, message, steps: [] }, testedAt: Date.now() };
  }
}
