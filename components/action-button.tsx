"use client";

import type { ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";

/**
 * A small secondary button that posts `fields` (as hidden inputs) to `action`: a one-click change
 * in a list row, such as testing, enabling or disabling an item. `label` is its accessible name.
 */
export function ActionButton({
  action,
  fields,
  pendingLabel,
  label,
  icon,
  children,
}: {
  action: (formData: FormData) => void;
  fields: Record<string, string>;
  pendingLabel: string;
  label: string;
  icon?: LucideIcon;
  children: ReactNode;
}) {
  return (
    <form action={action}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant="secondary" size="sm" pendingLabel={pendingLabel} aria-label={label} icon={icon}>
        {children}
      </SubmitButton>
    </form>
  );
}
