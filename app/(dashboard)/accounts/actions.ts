"use server";

import { revalidatePath } from "next/cache";
import { createAccount } from "@/lib/domain/accounts/create-account";
import { lookUpDirectory, type DirectoryFacts } from "@/lib/domain/accounts/directory-facts";
import { retryRegistration } from "@/lib/domain/accounts/retry-registration";
import { setAccountNetwork } from "@/lib/domain/accounts/set-account-network";
import { updateAccountRateLimits } from "@/lib/domain/accounts/update-rate-limits";
import { requireActor } from "@/lib/web/actor";
import { checkboxInput, numberInput, optionalTextInput, withoutFields } from "@/lib/web/form-input";
import { formAction, type FormValues } from "@/lib/web/form-action";
import { toFormState, type FormState, type SavedFormState } from "@/lib/web/form-state";

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
    return {
      ok: true,
      info: await lookUpDirectory(actor, { directoryUrl: input.directoryUrl, caBundlePem: input.caBundlePem, privateNetwork: input.privateNetwork === true }),
    };
  } catch (error) {
    const state = toFormState(error);
    if (state.fieldErrors) return { ok: false, error: state.fieldErrors.directoryUrl?.[0] ?? "Check the URL and the CA bundle." };
    return { ok: false, error: state.formError ?? "Check the URL and the CA bundle." };
  }
}

export type CreateAccountState = FormState & { createdAt?: number; created?: { accountId: string } };

export const createAccountAction = formAction(
  createAccount,
  (values) => ({
    label: optionalTextInput(values.label),
    directoryUrl: values.directoryUrl ?? "",
    email: values.email ?? "",
    termsAgreed: checkboxInput(values.termsAgreed),
    caBundlePem: optionalTextInput(values.caBundlePem),
    eabKeyId: optionalTextInput(values.eabKeyId),
    eabHmacKey: optionalTextInput(values.eabHmacKey),
    privateNetwork: checkboxInput(values.privateNetwork),
  }),
  accountsThen(({ accountId }): CreateAccountState => ({ createdAt: Date.now(), created: { accountId } })),
  // The HMAC key is never sent back to the browser: after an error the user pastes it again.
  (error, values): CreateAccountState => toFormState(error, withoutFields(values, "eabHmacKey")),
);

/** Turns "This CA is on my private network or this machine" on or off for an account. */
export const setAccountNetworkAction = formAction(
  setAccountNetwork,
  (values) => ({ id: values.accountId ?? "", privateNetwork: values.privateNetwork === "true" }),
  accountsThen((): SavedFormState => ({ savedAt: Date.now() })),
  (error, values): SavedFormState => accountFormState(error, values),
);

/** The rate-limit guard's limits for one account (defaults: Let's Encrypt's numbers). */
export const saveRateLimitsAction = formAction(
  updateAccountRateLimits,
  (values) => ({
    id: values.accountId ?? "",
    ordersPer3HoursLimit: numberInput(values.ordersPer3HoursLimit),
    failedValidationsPerHourLimit: numberInput(values.failedValidationsPerHourLimit),
  }),
  accountsThen((_, values): SavedFormState => ({ savedAt: Date.now(), values })),
  (error, values): SavedFormState => accountFormState(error, values),
);

export type RetryRegistrationState = FormState & { queuedAt?: number };

/** "Register again" for a failed account, optionally with a new EAB key ID and HMAC key (never shown again). */
export const retryRegistrationAction = formAction(
  retryRegistration,
  (values) => ({ id: values.accountId ?? "", eabKeyId: optionalTextInput(values.eabKeyId), eabHmacKey: optionalTextInput(values.eabHmacKey) }),
  accountsThen((): RetryRegistrationState => ({ queuedAt: Date.now() })),
  (error, values): RetryRegistrationState => accountFormState(error, { eabKeyId: values.eabKeyId ?? "" }),
);

/** After a change to the accounts: the list shows it, and the form answers. */
function accountsThen<Result, State>(answer: (result: Result, values: FormValues) => State): (result: Result, values: FormValues) => State {
  return (result, values) => {
    revalidatePath("/accounts");
    return answer(result, values);
  };
}

/** The forms carry the account's id in a hidden field: a malformed one is an account that does not exist. */
function accountFormState(error: unknown, values: Record<string, string>): FormState {
  const state = toFormState(error, values);
  if (!state.fieldErrors?.id) return state;
  return { formError: "That account does not exist.", values };
}
