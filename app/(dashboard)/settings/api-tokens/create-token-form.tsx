"use client";

import { useActionState } from "react";
import { KeyRound } from "lucide-react";
import { CopyButton } from "@/components/copy-button";
import { SubmitButton } from "@/components/submit-button";
import { Field, FieldErrors, Input } from "@/components/ui/form-field";
import { createApiTokenAction, type CreateTokenState } from "./actions";

export interface ScopeOption {
  id: string;
  label: string;
  description: string;
}

/** Name and scope of a new token; the token itself is shown once, above the form, after it is made. */
export function CreateTokenForm({ scopes }: { scopes: ScopeOption[] }) {
  const [state, formAction] = useActionState<CreateTokenState, FormData>(createApiTokenAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const created = state.created;
  return (
    <div className="space-y-4">
      {created && (
        <div role="status" className="space-y-2 rounded-md border border-emerald-600/30 bg-emerald-50 p-3 dark:border-emerald-400/30 dark:bg-emerald-500/10">
          <p className="text-sm font-medium text-emerald-900 dark:text-emerald-200">
            Token “{created.name}” created ({scopes.find((scope) => scope.id === created.scope)?.label ?? created.scope}). Copy it now: CertDeck keeps only a hash
            of it and cannot show it again.
          </p>
          <div className="flex items-center gap-2">
            <code aria-label="The new API token" className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
              {created.token}
            </code>
            <CopyButton text={created.token} label="Copy the token" />
          </div>
        </div>
      )}
      <form action={formAction} className="space-y-4" noValidate>
        <Field id="token-name" label="Name" hint="What uses it, so you know which one to revoke: the audit log names its changes “api:<name>”." errors={errors.name}>
          <Input id="token-name" name="name" hasHint required maxLength={80} autoComplete="off" placeholder="deploy script" defaultValue={values.name} errors={errors.name} />
        </Field>
        <fieldset>
          <legend className="mb-1.5 block text-sm font-medium">Scope</legend>
          <div className="space-y-2">
            {scopes.map((scope) => (
              <label key={scope.id} className="flex cursor-pointer items-start gap-2.5 text-sm">
                <input type="radio" name="scope" value={scope.id} defaultChecked={(values.scope ?? "read") === scope.id} className="mt-0.5" />
                <span>
                  <span className="font-medium">{scope.label}</span>
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">{scope.description}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrors id="scope-error" errors={errors.scope} />
        </fieldset>
        <SubmitButton pendingLabel="Creating…">
          <KeyRound aria-hidden className="h-4 w-4" />
          Create token
        </SubmitButton>
      </form>
    </div>
  );
}
