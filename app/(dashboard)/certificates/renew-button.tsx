"use client";

import { useActionState } from "react";
import { RefreshCw } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { renewFromButtonAction, type RenewButtonState } from "./actions";

/**
 * Renew (or Try again) for one certificate. Within a minute of a successful renewal the command
 * answers that renewal instead of ordering again; the button then asks "Renewed a moment ago —
 * renew again?" and a second click confirms (again=true).
 */
export function RenewButton({
  certificateId,
  name,
  label = "Renew",
  pendingLabel = "Queuing…",
  disabled = false,
  variant = "primary",
  size = "md",
  withIcon = false,
}: {
  certificateId: string;
  name: string;
  label?: string;
  pendingLabel?: string;
  disabled?: boolean;
  variant?: "primary" | "secondary";
  size?: "sm" | "md";
  withIcon?: boolean;
}) {
  const [state, formAction] = useActionState<RenewButtonState, FormData>(renewFromButtonAction, {});
  const askAgain = Boolean(state.reusedAt) && !disabled;
  return (
    <form action={formAction} className="inline-flex flex-wrap items-center justify-end gap-2">
      <input type="hidden" name="certificateId" value={certificateId} />
      {askAgain ? (
        <>
          <input type="hidden" name="again" value="true" />
          <span key={state.reusedAt} role="status" className="text-sm text-zinc-600 dark:text-zinc-300">
            Renewed a moment ago — renew again?
          </span>
          <SubmitButton variant={variant} size={size} pendingLabel={pendingLabel} aria-label={`Renew ${name} again`}>
            Renew again
          </SubmitButton>
        </>
      ) : (
        <SubmitButton variant={variant} size={size} pendingLabel={pendingLabel} disabled={disabled} aria-label={size === "sm" ? `Renew ${name}` : undefined}>
          {withIcon && <RefreshCw aria-hidden className="h-4 w-4" />}
          {label}
        </SubmitButton>
      )}
    </form>
  );
}
