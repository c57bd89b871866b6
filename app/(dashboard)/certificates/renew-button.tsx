"use client";

import { useActionState } from "react";
import { RefreshCw } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { renewFromButtonAction, type RenewButtonState } from "./actions";

/**
 * The one word for ordering a certificate again, everywhere it is offered (the overview's row
 * and card, the certificate's page): "Renew" once it has been issued, "Try again" while it
 * never was (its first order failed or was stopped). Both queue the same job.
 */
export function renewLabel(hasCurrentVersion: boolean): string {
  return hasCurrentVersion ? "Renew" : "Try again";
}

/** The button's accessible name where several certificates are listed: "Renew shop.example.com". */
export function renewAccessibleName(hasCurrentVersion: boolean, name: string): string {
  return hasCurrentVersion ? `Renew ${name}` : `Try again for ${name}`;
}

/**
 * Renew / Try again, disabled while a job works on the certificate (its badge says which).
 * Within a minute of a successful renewal the command answers that renewal instead of ordering
 * again; the button then asks "Renewed a moment ago — renew again?" and a second click confirms.
 */
export function RenewButton({
  certificateId,
  name,
  hasCurrentVersion,
  isBusy,
  size = "md",
  variant = "primary",
  isNamed = false,
}: {
  certificateId: string;
  name: string;
  hasCurrentVersion: boolean;
  isBusy: boolean;
  size?: "sm" | "md";
  variant?: "primary" | "secondary";
  /** In a list: the accessible name includes the certificate's name. */
  isNamed?: boolean;
}) {
  const [state, formAction] = useActionState<RenewButtonState, FormData>(renewFromButtonAction, {});
  const askAgain = Boolean(state.reusedAt) && !isBusy;
  return (
    <form action={formAction} className="inline-flex flex-wrap items-center justify-end gap-2">
      <input type="hidden" name="certificateId" value={certificateId} />
      {askAgain ? (
        <>
          <input type="hidden" name="again" value="true" />
          <span key={state.reusedAt} role="status" className="text-sm text-zinc-600 dark:text-zinc-300">
            Renewed a moment ago — renew again?
          </span>
          <SubmitButton variant={variant} size={size} pendingLabel="Queuing…" aria-label={`Renew ${name} again`}>
            Renew again
          </SubmitButton>
        </>
      ) : (
        <SubmitButton
          variant={variant}
          size={size}
          pendingLabel="Queuing…"
          disabled={isBusy}
          aria-label={isNamed ? renewAccessibleName(hasCurrentVersion, name) : undefined}
          icon={RefreshCw}
        >
          {renewLabel(hasCurrentVersion)}
        </SubmitButton>
      )}
    </form>
  );
}
