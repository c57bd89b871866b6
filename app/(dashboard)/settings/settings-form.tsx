"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { Field, Input } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { saveSettingsAction } from "./actions";

export function SettingsForm({ standalonePort }: { standalonePort: number }) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveSettingsAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field
        id="standalonePort"
        label="Standalone listener port"
        hint="Where the standalone HTTP-01 method listens while the CA validates. The CA always connects to port 80, so use another port only behind a port forward."
        errors={errors.standalonePort}
      >
        <Input id="standalonePort" inputMode="numeric" hasHint className="max-w-32" defaultValue={state.values?.standalonePort ?? standalonePort} errors={errors.standalonePort} />
      </Field>
      <SaveBar label="Save settings" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
