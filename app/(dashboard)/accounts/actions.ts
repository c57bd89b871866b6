"use server";

import { revalidatePath } from "next/cache";
import { createAccount } from "@/lib/domain/accounts/create-account";
import { lookUpDirectory, type DirectoryFacts } from "@/lib/domain/accounts/directory-facts";
import { retryRegistration } from "@/lib/domain/accounts/retry-registration";
import { setAccountNetwork } from "@/lib/domain/accounts/set-account-network";
import { updateAccountRateLimits } from "@/lib/domain/accounts/update-rate-limits";
import { requireActor } from "@/lib/web/actor";
import { checkboxInput, numberInput, optionalTextInput, withoutFields } from "@/lib/web/form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

/**
 * Reads the directory's metadata (terms of service link, EAB requirement, profiles) so the form
 * can show the terms before the user agrees. One bounded GET; the registration itself runs as a job.
 */
export async function lookUpDirectoryAction(input: {
  directoryUrl: string;
  caBundlePem?: string;
  privateNetwork?: boolean;
}): Promise<{ ok: true; info: DirectoryFacts } | { ok: false; error: string }> {
  const actor = await requireActor();
  try {
    return { ok: true, info: await lookUpDirectory(actor, { directoryUrl: input.directoryUrl, caBundlePem: input.caBundlePem, privateNetwork: input.privateNetwork === true }) };
  } catch (error) {
    const state = toFormState(error);
    if (state.fieldErrors) return { ok: false, error: state.fieldErrors.directoryUrl?.[0] ?? "Check the URL and the CA bundle." };
    return { ok: false, error: state.formError ?? "Check the URL and the CA bundle." };
  }
}

export async function createAccountAction(
  _previous: FormState,
  formData: FormData,
): Promise<FormState & { createdAt?: number; created?: { accountId: string } }> {
  const actor = await requireActor();
  const submitted = formValues(formData);
  // The HMAC key is never sent back to the browser: after an error the user pastes it again.
  const values = withoutFields(submitted, "eabHmacKey");
  let accountId: string;
  try {
    ({ accountId } = await createAccount(actor, {
      label: optionalTextInput(submitted.label),
      directoryUrl: submitted.directoryUrl ?? "",
      email: submitted.email ?? "",
      termsAgreed: checkboxInput(submitted.termsAgreed),
      caBundlePem: optionalTextInput(submitted.caBundlePem),
      eabKeyId: optionalTextInput(submitted.eabKeyId),
      eabHmacKey: optionalTextInput(submitted.eabHmacKey),
      privateNetwork: checkboxInput(submitted.privateNetwork),
    }));
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/accounts");
  return { createdAt: Date.now(), created: { accountId } };
}

/** Turns "This CA is on my private network or this machine" on or off for an account. */
export async function setAccountNetworkAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const values = formValues(formData);
  try {
    await setAccountNetwork(actor, { id: values.accountId ?? "", privateNetwork: values.privateNetwork === "true" });
  } catch (error) {
    return accountFormState(error, values);
  }
  revalidatePath("/accounts");
  return { savedAt: Date.now() };
}

/** The rate-limit guard's limits for one account (defaults: Let's Encrypt's numbers). */
export async function saveRateLimitsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const values = formValues(formData);
  try {
    await updateAccountRateLimits(actor, {
      id: values.accountId ?? "",
      ordersPer3HoursLimit: numberInput(values.ordersPer3HoursLimit),
      failedValidationsPerHourLimit: numberInput(values.failedValidationsPerHourLimit),
    });
  } catch (error) {
    return accountFormState(error, values);
  }
  revalidatePath("/accounts");
  return { savedAt: Date.now(), values };
}

/** "Register again" for a failed account, optionally with a new EAB key ID and HMAC key. */
export async function retryRegistrationAction(_previous: FormState, formData: FormData): Promise<FormState & { queuedAt?: number }> {
  const actor = await requireActor();
  const submitted = formValues(formData);
  try {
    await retryRegistration(actor, {
      id: submitted.accountId ?? "",
      eabKeyId: optionalTextInput(submitted.eabKeyId),
      eabHmacKey: optionalTextInput(submitted.eabHmacKey),
    });
  } catch (error) {
    return accountFormState(error, { eabKeyId: submitted.eabKeyId ?? "" });
  }
  revalidatePath("/accounts");
  return { queuedAt: Date.now() };
}

/** The forms carry the account's id in a hidden field: a malformed one is an account that does not exist. */
function accountFormState(error: unknown, values: Record<string, string>): FormState {
  const state = toFormState(error, values);
  if (!state.fieldErrors?.id) return state;
  return { formError: "That account does not exist.", values };
}
