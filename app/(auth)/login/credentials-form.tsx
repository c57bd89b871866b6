"use client";

import { useActionState } from "react";
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
      <Field id="password" label="Password" hint={isFirstRun ? "At least 12 characters." : undefined} errors={errors.password}>
        <Input
          id="password"
          type="password"
          autoComplete={isFirstRun ? "new-password" : "current-password"}
          required
          hasHint={isFirstRun}
          errors={errors.password}
        />
      </Field>
      {isFirstRun && (
        <Field id="passwordConfirmation" label="Repeat the password" errors={errors.passwordConfirmation}>
          <Input id="passwordConfirmation" type="password" autoComplete="new-password" required errors={errors.passwordConfirmation} />
        </Field>
      )}
      {state.formError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
          {state.formError}
        </p>
      )}
      <SubmitButton pendingLabel={isFirstRun ? "Creating…" : "Signing in…"}>
        {isFirstRun ? "Create administrator" : "Sign in"}
      </SubmitButton>
    </form>
  );
}
