"use client";

import { useActionState } from "react";
import { KeyRound } from "lucide-react";
import { ScopeFieldset, type ScopeOption } from "@/components/scope-fieldset";
import { SubmitButton } from "@/components/submit-button";
import { TokenShownOnce } from "@/components/token-shown-once";
import { InputField } from "@/components/ui/form-field";
import { createApiTokenAction, type CreateTokenState } from "./actions";

/** Name and scope of a new token; the token itself is shown once, above the form, after it is made. */
export function CreateTokenForm({ scopes }: { scopes: ScopeOption[] }) {
  const [state, formAction] = useActionState<CreateTokenState, FormData>(createApiTokenAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const created = state.created;
  return (
    <div className="space-y-4">
      {created && (
        <TokenShownOnce
          token={created.token}
          tokenLabel="The new API token"
          message={
            <>
              Token “{created.name}” created ({scopes.find((scope) => scope.id === created.scope)?.label ?? created.scope}). Copy it now: CertDeck keeps only a
              hash of it and cannot show it again.
            </>
          }
        />
      )}
      <form action={formAction} className="space-y-4" noValidate>
        <InputField
          id="token-name"
          name="name"
          label="Name"
          hint="What uses it, so you know which one to revoke: the audit log names its changes “api:<name>”."
          form={{ values, errors }}
          required
          maxLength={80}
          autoComplete="off"
          placeholder="deploy script"
        />
        <ScopeFieldset legend="Scope" scopes={scopes} selected={values.scope ?? "read"} errors={errors.scope} />
        <SubmitButton pendingLabel="Creating…" icon={KeyRound}>
          Create token
        </SubmitButton>
      </form>
    </div>
  );
}
