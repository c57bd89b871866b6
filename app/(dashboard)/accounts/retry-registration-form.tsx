"use client";

import { useActionState } from "react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import type { FormState } from "@/lib/web/form-state";
import { retryRegistrationAction } from "./actions";
import { EabFields } from "./eab-fields";

/** For a failed registration: try again, with a new EAB key ID and HMAC key when the old ones were wrong. */
export function RetryRegistrationForm({ accountId, usesEab, eabSource }: { accountId: string; usesEab: boolean; eabSource?: string }) {
  const [state, formAction] = useActionState<FormState & { queuedAt?: number }, FormData>(retryRegistrationAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form key={state.queuedAt} action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {usesEab
          ? "Paste a new EAB key ID and HMAC key to replace the stored ones, or leave both empty to try the stored ones again."
          : "Fill these in only if the CA requires External Account Binding."}
      </p>
      <EabFields idPrefix={`retry-${accountId}-`} source={eabSource} defaultKeyId={state.values?.eabKeyId} errors={errors} />
      <FormError message={state.formError} />
      <SubmitButton variant="secondary" pendingLabel="Queuing…">
        Register again
      </SubmitButton>
    </form>
  );
}
