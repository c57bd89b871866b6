"use client";

import { useActionState, type ReactNode } from "react";
import { SaveBar } from "@/components/save-bar";
import type { FormView } from "@/components/ui/form-field";
import type { SavedFormState } from "@/lib/web/form-state";

/**
 * A form that saves in place: its fields (given the values typed and the errors of the last
 * answer), then the save button with "Saved." once the action answered with `savedAt`.
 */
export function SaveForm({
  action,
  saveLabel,
  className = "space-y-4",
  children,
}: {
  action: (previous: SavedFormState, formData: FormData) => Promise<SavedFormState>;
  saveLabel: string;
  className?: string;
  children: (form: FormView) => ReactNode;
}) {
  const [state, formAction] = useActionState<SavedFormState, FormData>(action, {});
  return (
    <form action={formAction} className={className} noValidate>
      {children({ values: state.values ?? {}, errors: state.fieldErrors ?? {} })}
      <SaveBar label={saveLabel} isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
