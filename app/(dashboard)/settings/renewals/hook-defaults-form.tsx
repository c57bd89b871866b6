"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { Field, Input } from "@/components/ui/form-field";
import { HOOK_KINDS } from "@/lib/domain/deploy/hook-presets";
import type { FormState } from "@/lib/web/form-state";
import { saveHookDefaultsAction } from "./actions";
import { HookCommandField } from "./hook-command-field";

export interface HookDefaults {
  defaultPreHook: string;
  defaultPostHook: string;
  defaultDeployHook: string;
  hookTimeoutSeconds: number;
}

const FIELDS = [
  { id: "defaultPreHook", kind: "preHook" },
  { id: "defaultPostHook", kind: "postHook" },
  { id: "defaultDeployHook", kind: "deployHook" },
] as const;

export function HookDefaultsForm({ defaults }: { defaults: HookDefaults }) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveHookDefaultsAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values;
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {FIELDS.map(({ id, kind }) => (
        <HookCommandField
          key={id}
          id={id}
          label={HOOK_KINDS[kind].label}
          hint={HOOK_KINDS[kind].description}
          defaultValue={values?.[id] ?? defaults[id]}
          errors={errors[id]}
        />
      ))}
      <Field
        id="hookTimeoutSeconds"
        label="Timeout (seconds)"
        hint="A hook still running after this long is stopped with everything it started, and reported as failed."
        errors={errors.hookTimeoutSeconds}
      >
        <Input
          id="hookTimeoutSeconds"
          inputMode="numeric"
          hasHint
          className="max-w-32"
          defaultValue={values?.hookTimeoutSeconds ?? defaults.hookTimeoutSeconds}
          errors={errors.hookTimeoutSeconds}
        />
      </Field>
      <SaveBar label="Save hooks" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
