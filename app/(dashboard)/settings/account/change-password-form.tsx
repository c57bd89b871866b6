"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Field, Input } from "@/components/ui/form-field";
import { changePasswordAction, type ChangePasswordState } from "./actions";

export function ChangePasswordForm() {
  const [state, formAction] = useActionState<ChangePasswordState, FormData>(changePasswordAction, {});
  const errors = state.fieldErrors ?? {};
  // A new key after each success empties the fields; after an error the browser keeps nothing
  // either (passwords are never sent back).
  return (
    <form key={state.changedAt ?? "form"} action={formAction} className="space-y-4" noValidate>
      <Field id="currentPassword" label="Current password" errors={errors.currentPassword}>
        <Input id="currentPassword" type="password" autoComplete="current-password" required errors={errors.currentPassword} />
      </Field>
      <Field id="newPassword" label="New password" hint="At least 12 characters." errors={errors.newPassword}>
        <Input id="newPassword" type="password" autoComplete="new-password" required hasHint errors={errors.newPassword} />
      </Field>
      <Field id="newPasswordConfirmation" label="Repeat the new password" errors={errors.newPasswordConfirmation}>
        <Input id="newPasswordConfirmation" type="password" autoComplete="new-password" required errors={errors.newPasswordConfirmation} />
      </Field>
      {state.formError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
          {state.formError}
        </p>
      )}
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
        {state.changedAt && (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Password changed. Your other sessions were signed out.
          </span>
        )}
      </div>
    </form>
  );
}
