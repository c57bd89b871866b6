import type { InputHTMLAttributes, ReactNode } from "react";

/**
 * A checkbox posted as `name`, its label beside it and a hint under it (`{name}-hint`, wired
 * through aria-describedby); `isHintWarning` shows the hint in amber. Other props go to the box.
 */
export function CheckboxField({
  name,
  label,
  hint,
  isHintWarning = false,
  ...props
}: { name: string; label: ReactNode; hint: ReactNode; isHintWarning?: boolean } & Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "name">) {
  const hintId = `${name}-hint`;
  return (
    <div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name={name} className="mt-0.5" aria-describedby={hintId} {...props} />
        <span>{label}</span>
      </label>
      <p id={hintId} className={`mt-1 text-xs ${isHintWarning ? "text-amber-700 dark:text-amber-300" : "text-zinc-500 dark:text-zinc-400"}`}>
        {hint}
      </p>
    </div>
  );
}
