"use client";

import { useActionState } from "react";
import { FormError } from "@/components/form-error";
import { NewPasswordFields } from "@/components/new-password-fields";
import { SubmitBar } from "@/components/save-bar";
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
      <NewPasswordFields
        id="newPassword"
        label="New password"
        confirmationId="newPasswordConfirmation"
        confirmationLabel="Repeat the new password"
        errors={errors}
      />
      <FormError message={state.formError} isBoxed />
      <SubmitBar label="Change password" pendingLabel="Changing…" status={state.changedAt ? "Password changed. Your other sessions were signed out." : null} />
    </form>
  );
}
