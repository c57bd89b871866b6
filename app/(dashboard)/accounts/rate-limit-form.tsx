"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { InputField, type FormView } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { FormError } from "@/components/form-error";
import { saveRateLimitsAction } from "./actions";

/** The rate-limit guard's two limits for one account. */
export function RateLimitForm({
  accountId,
  ordersPer3Hours,
  failedValidationsPerHour,
}: {
  accountId: string;
  ordersPer3Hours: number;
  failedValidationsPerHour: number;
}) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveRateLimitsAction, {});
  const form: FormView = { values: state.values ?? {}, errors: state.fieldErrors ?? {} };
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <InputField
          id={`orders-${accountId}`}
          name="ordersPer3HoursLimit"
          label="New orders per 3 hours"
          form={form}
          inputMode="numeric"
          defaultValue={ordersPer3Hours}
        />
        <InputField
          id={`failures-${accountId}`}
          name="failedValidationsPerHourLimit"
          label="Failed validations per name per hour"
          form={form}
          inputMode="numeric"
          defaultValue={failedValidationsPerHour}
        />
      </div>
      <FormError message={state.formError} />
      <SaveBar label="Save limits" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
