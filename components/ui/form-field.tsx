import type { ComponentProps, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const CONTROL =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-xs placeholder:text-zinc-400 focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-600/20 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-500";

/** What a form shows again after an answer: the values typed and the errors, by field name. */
export interface FormView {
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
}

/** A labelled control with its hint and errors wired through aria-describedby. */
export function Field({ id, label, hint, errors, children }: { id: string; label: ReactNode; hint?: ReactNode; errors?: string[]; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

/**
 * A labelled input for the form field `name` (its id unless told): the value from `form` (typed
 * before an error, or saved) and its errors. Other props go to the input; a `defaultValue` stands
 * in while the form has no value for it.
 */
export function InputField({
  id,
  name = id,
  label,
  hint,
  form,
  defaultValue,
  ...props
}: { id: string; name?: string; label: ReactNode; hint?: ReactNode; form: FormView } & Omit<InputHTMLAttributes<HTMLInputElement>, "form" | "id" | "name">) {
  const errors = form.errors[name];
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <Input id={id} name={name} hasHint={Boolean(hint)} defaultValue={form.values[name] ?? defaultValue} errors={errors} {...props} />
    </Field>
  );
}

/** An InputField for text a machine reads (a host name, a path, a command): monospace, not spell-checked. */
export function CodeField(props: Omit<ComponentProps<typeof InputField>, "spellCheck" | "className">) {
  return <InputField spellCheck={false} className="font-mono" {...props} />;
}

/** A short InputField for a whole number, such as a timeout in seconds or a number of days. */
export function NumberField(props: Omit<ComponentProps<typeof InputField>, "inputMode" | "className">) {
  return <InputField inputMode="numeric" className="max-w-32" {...props} />;
}

/**
 * The Name that opens a form adding or changing a named thing (a deploy target, a DNS provider):
 * required, never autofilled, focused when adding one.
 */
export function NameField({ hint, form, isAdding }: { hint: ReactNode; form: FormView; isAdding: boolean }) {
  return <InputField id="name" label="Name" hint={hint} form={form} required autoComplete="off" autoFocus={isAdding} />;
}

/** A Select's options, one per choice: the id is posted, the label shown. */
export function Options({ choices }: { choices: ReadonlyArray<{ id: string; label: string }> }) {
  return choices.map((choice) => (
    <option key={choice.id} value={choice.id}>
      {choice.label}
    </option>
  ));
}

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} aria-live="polite" className="space-y-0.5 text-sm text-red-600 dark:text-red-400">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

type ControlProps = { id: string; hasHint?: boolean; errors?: string[] };

/** id, name and the aria wiring every control shares: invalid state, hint and errors. */
function controlAttributes({ id, hasHint = false, errors }: ControlProps, name: string | undefined) {
  const describedBy = [hasHint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return {
    id,
    name: name ?? id,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy || undefined,
  };
}

export function Input({ id, hasHint, errors, className = "", ...props }: ControlProps & InputHTMLAttributes<HTMLInputElement>) {
  return <input {...controlAttributes({ id, hasHint, errors }, props.name)} className={`${CONTROL} h-9 ${className}`} {...props} />;
}

/**
 * A multi-line field for text a machine reads (names one per line, PEM, a command): monospace,
 * and never spell-checked, capitalised, corrected or autofilled by the browser.
 */
export function Textarea({ id, hasHint, errors, className = "", ...props }: ControlProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <textarea
      {...controlAttributes({ id, hasHint, errors }, props.name)}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      autoComplete="off"
      className={`${CONTROL} font-mono ${className}`}
      {...props}
    />
  );
}

export function Select({ id, hasHint, errors, className = "", ...props }: ControlProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...controlAttributes({ id, hasHint, errors }, props.name)} className={`${CONTROL} h-9 ${className}`} {...props} />;
}
