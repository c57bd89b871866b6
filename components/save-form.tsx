"use client";

import { useActionState, type ReactNode } from "react";
import { FormError } from "@/components/form-error";
import { SaveBar } from "@/components/save-bar";
import type { FormView } from "@/components/ui/form-field";
import type { SavedFormState } from "@/lib/web/form-state";

/**
 * What a SaveForm's fields are given: the values typed and the errors of the last answer, and
 * whether an answer came back at all (then a checkbox shows what was submitted, ticked or not,
 * since an unticked one sends nothing).
 */
export type SaveFormView = FormView & { isAnswered: boolean };

/**
 * A form that saves in place: its fields, the error that belongs to no field, then the save
 * button with "Saved." once the action answered with `savedAt`. `canSave` false (a job holds
 * the settings, say): the fields show, with no button, and the form says why.
 */
export function SaveForm({
  action,
  saveLabel,
  canSave = true,
  className = "space-y-4",
  children,
}: {
  action: (previous: SavedFormState, formData: FormData) => Promise<SavedFormState>;
  saveLabel: string;
  canSave?: boolean;
  className?: string;
  children: (form: SaveFormView) => ReactNode;
}) {
  const [state, formAction] = useActionState<SavedFormState, FormData>(action, {});
  return (
    <form action={formAction} className={className} noValidate>
      {children({ values: state.values ?? {}, errors: state.fieldErrors ?? {}, isAnswered: state.values !== undefined })}
      <FormError message={state.formError} />
      {canSave && <SaveBar label={saveLabel} isSaved={Boolean(state.savedAt && !state.fieldErrors && !state.formError)} />}
    </form>
  );
}
