"use client";

import { useActionState } from "react";
import { FormError } from "@/components/form-error";
import { NewPasswordFields } from "@/components/new-password-fields";
import { SubmitButton } from "@/components/submit-button";
import { Field, Input } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";

/** Sign-in, or on first run the creation of the administrator (with a password confirmation). */
export function CredentialsForm({
  action,
  isFirstRun,
  setupCodeFile,
}: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  isFirstRun: boolean;
  /** Where the first-run setup code is written, for the hint. */
  setupCodeFile?: string;
}) {
  const [state, formAction] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {isFirstRun && (
        <Field
          id="setupCode"
          label="Setup code"
          hint={<>Printed in the server&apos;s log at start, and written to {setupCodeFile ?? "<data>/setup-code.txt"}.</>}
          errors={errors.setupCode}
        >
          <Input
            id="setupCode"
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus
            hasHint
            placeholder="XXXX-XXXX-XXXX-XXXX"
            className="font-mono uppercase"
            defaultValue={state.values?.setupCode}
            errors={errors.setupCode}
          />
        </Field>
      )}
      <Field id="username" label="User name" errors={errors.username}>
        <Input id="username" autoComplete="username" required autoFocus={!isFirstRun} defaultValue={state.values?.username} errors={errors.username} />
      </Field>
      {isFirstRun ? (
        <NewPasswordFields id="password" label="Password" confirmationId="passwordConfirmation" confirmationLabel="Repeat the password" errors={errors} />
      ) : (
        <Field id="password" label="Password" errors={errors.password}>
          <Input id="password" type="password" autoComplete="current-password" required errors={errors.password} />
        </Field>
      )}
      <FormError message={state.formError} isBoxed />
      <SubmitButton pendingLabel={isFirstRun ? "Creating…" : "Signing in…"}>{isFirstRun ? "Create administrator" : "Sign in"}</SubmitButton>
    </form>
  );
}
