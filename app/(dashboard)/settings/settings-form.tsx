"use client";

import type { InputHTMLAttributes, ReactNode } from "react";
import { SaveForm } from "@/components/save-form";
import { Field, Input, type FormView } from "@/components/ui/form-field";
import type { SavedFormState } from "@/lib/web/form-state";
import { HookCommandField } from "./renewals/hook-command-field";
import { SETTINGS_FORMS, settingField, type SettingKind, type SettingName, type SettingsFormName } from "./setting-fields";

const INPUTS: Record<Exclude<SettingKind, "hook">, InputHTMLAttributes<HTMLInputElement>> = {
  number: { inputMode: "numeric", className: "max-w-32" },
  list: { spellCheck: false, autoCapitalize: "off", autoComplete: "off", className: "font-mono" },
  address: { spellCheck: false, autoComplete: "off", className: "font-mono" },
};

/**
 * One global setting's field, labelled from SETTING_FIELDS, showing what was typed after an error
 * and the saved value otherwise. Extra props (a placeholder, aria-describedby) go to the input.
 */
export function SettingField({
  name,
  form,
  saved,
  hint,
  ...props
}: { name: SettingName; form: FormView; saved: string | number; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "form">) {
  const { kind, label, placeholder, ...field } = settingField(name);
  const errors = form.errors[name];
  const value = form.values[name] ?? saved;
  if (kind === "hook") return <HookCommandField id={name} label={label} hint={field.hint} defaultValue={String(value)} errors={errors} />;
  return (
    <Field id={name} label={label} hint={hint ?? field.hint} errors={errors}>
      <Input id={name} hasHint={Boolean(hint ?? field.hint)} placeholder={placeholder} {...INPUTS[kind]} defaultValue={value} errors={errors} {...props} />
    </Field>
  );
}

/** A settings card's form (SETTINGS_FORMS): its settings' fields, then its save button. */
export function SettingsForm({
  group,
  action,
  saved,
  hints = {},
  className,
}: {
  group: SettingsFormName;
  action: (previous: SavedFormState, formData: FormData) => Promise<SavedFormState>;
  /** The settings' saved values, by name. */
  saved: Partial<Record<SettingName, string | number>>;
  /** Hints the page writes itself (with the server's time zone, say). */
  hints?: Partial<Record<SettingName, ReactNode>>;
  className?: string;
}) {
  const { names, saveLabel } = SETTINGS_FORMS[group];
  return (
    <SaveForm action={action} saveLabel={saveLabel} className={className}>
      {(form) => names.map((name) => <SettingField key={name} name={name} form={form} saved={saved[name] ?? ""} hint={hints[name]} />)}
    </SaveForm>
  );
}
