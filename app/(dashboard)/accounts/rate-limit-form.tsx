"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { Field, Input } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
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
  const errors = state.fieldErrors ?? {};
  const ordersId = `orders-${accountId}`;
  const failuresId = `failures-${accountId}`;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={ordersId} label="New orders per 3 hours" errors={errors.ordersPer3HoursLimit}>
          <Input
            id={ordersId}
            name="ordersPer3HoursLimit"
            inputMode="numeric"
            defaultValue={state.values?.ordersPer3HoursLimit ?? ordersPer3Hours}
            errors={errors.ordersPer3HoursLimit}
          />
        </Field>
        <Field id={failuresId} label="Failed validations per name per hour" errors={errors.failedValidationsPerHourLimit}>
          <Input
            id={failuresId}
            name="failedValidationsPerHourLimit"
            inputMode="numeric"
            defaultValue={state.values?.failedValidationsPerHourLimit ?? failedValidationsPerHour}
            errors={errors.failedValidationsPerHourLimit}
          />
        </Field>
      </div>
      {state.formError && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {state.formError}
        </p>
      )}
      <SaveBar label="Save limits" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
