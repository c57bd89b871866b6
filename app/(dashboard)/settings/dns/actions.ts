"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { createDnsProvider, deleteDnsProvider, testDnsProvider, updateDnsProvider, type DnsProviderTestResult } from "@/lib/domain/dns-providers/provider-store";
import type { FormState } from "@/lib/web/form-state";
import { dnsProviderIdSchema } from "./provider-id";

const PAGE = "/settings/dns";

/** The form's fields only (Next adds its own "$ACTION…" entries). */
function formValues(formData: FormData): Record<string, string> {
  return Object.fromEntries([...formData].filter(([key]) => !key.startsWith("$") && key !== "providerId").map(([key, value]) => [key, String(value)]));
}

/** Adds a DNS provider, or saves one (a secret left empty keeps the stored one). Audited by the store. */
export async function saveDnsProviderAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const rawId = formData.get("providerId");
  const values = formValues(formData);
  const ip = await requestAddress();
  let result;
  if (rawId) {
    const id = dnsProviderIdSchema.safeParse(rawId);
    if (!id.success) return { formError: "That DNS provider no longer exists." };
    result = await updateDnsProvider(id.data, values, user.username, { ip });
  } else {
    result = await createDnsProvider(values, user.username, { ip });
  }
  if (!result.ok) return { fieldErrors: result.fieldErrors, formError: result.formError, values: result.values };
  revalidatePath(PAGE);
  redirect(`${PAGE}?saved=${result.id}`);
}

/** Refused (with the certificates named) while certificates use the provider. */
export async function deleteDnsProviderAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const id = dnsProviderIdSchema.safeParse(formData.get("providerId"));
  if (!id.success) return { formError: "That DNS provider no longer exists." };
  const result = await deleteDnsProvider(id.data, user.username, { ip: await requestAddress() });
  if (!result.ok) return { formError: result.formError ?? "The DNS provider could not be deleted." };
  revalidatePath(PAGE);
  redirect(PAGE);
}

export interface TestDnsProviderState {
  result?: DnsProviderTestResult;
  testedAt?: number;
}

/** "Test": checks the settings against the real server or API (the store bounds it to 30 s). */
export async function testDnsProviderAction(_previous: TestDnsProviderState, formData: FormData): Promise<TestDnsProviderState> {
  await requireUser();
  const id = dnsProviderIdSchema.safeParse(formData.get("providerId"));
  if (!id.success) return { result: { ok: false, message: "That DNS provider no longer exists.", steps: [] }, testedAt: Date.now() };
  return { result: await testDnsProvider(id.data), testedAt: Date.now() };
}
