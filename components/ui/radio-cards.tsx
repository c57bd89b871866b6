import type { InputHTMLAttributes, ReactNode } from "react";
import { FieldErrors } from "@/components/ui/form-field";

/** A radio button's label drawn as a card, outlined in blue while its radio is checked. */
const RADIO_CARD =
  "flex cursor-pointer items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-blue-600 has-[:checked]:bg-blue-50/50 dark:border-zinc-800 dark:has-[:checked]:border-blue-400 dark:has-[:checked]:bg-blue-500/5";

/** One choice among radio cards, with an optional line under its label. */
export interface RadioCardChoice {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
}

/** One radio button drawn as a card: its label, an optional smaller line under it; other props go to the radio. */
export function RadioCard({ label, hint, ...props }: { label: ReactNode; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  return (
    <label className={RADIO_CARD}>
      <input type="radio" className="mt-0.5" {...props} />
      <span className="min-w-0">
        {label}
        {hint && <span className="block text-xs text-zinc-500 [overflow-wrap:anywhere] dark:text-zinc-400">{hint}</span>}
      </span>
    </label>
  );
}

/** The radio cards of `choices`, posted as `name`, one chosen at a time (controlled); the caller lays them out. */
export function RadioChoices({ name, choices, value, onChange }: { name: string; choices: RadioCardChoice[]; value: string; onChange: (id: string) => void }) {
  return choices.map((choice) => (
    <RadioCard
      key={choice.id}
      name={name}
      value={choice.id}
      checked={value === choice.id}
      onChange={() => onChange(choice.id)}
      label={choice.label}
      hint={choice.hint}
    />
  ));
}

/** A fieldset of radio cards posted as `name`, one chosen at a time (controlled), with the field's errors under it. */
export function RadioCards({
  legend,
  name,
  choices,
  value,
  onChange,
  errorsId,
  errors,
}: {
  legend: string;
  name: string;
  choices: RadioCardChoice[];
  value: string;
  onChange: (id: string) => void;
  errorsId: string;
  errors?: string[];
}) {
  return (
    <fieldset className="min-w-0">
      <legend className="mb-1.5 block text-sm font-medium">{legend}</legend>
      <div className="space-y-2">
        <RadioChoices name={name} choices={choices} value={value} onChange={onChange} />
      </div>
      <FieldErrors id={errorsId} errors={errors} />
    </fieldset>
  );
}
