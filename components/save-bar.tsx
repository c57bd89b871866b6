"use client";

import { SubmitButton } from "@/components/submit-button";
import { ButtonLink } from "@/components/ui/button";

/** A form's submit button, with `status` announced beside it once the form succeeded. */
export function SubmitBar({ label, pendingLabel, status }: { label: string; pendingLabel: string; status?: string | null }) {
  return (
    <div className="flex items-center gap-3">
      <SubmitButton pendingLabel={pendingLabel}>{label}</SubmitButton>
      {status && (
        <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {status}
        </span>
      )}
    </div>
  );
}

/** A settings form's submit button, with "Saved." announced after a successful save. */
export function SaveBar({ label, isSaved }: { label: string; isSaved: boolean }) {
  return <SubmitBar label={label} pendingLabel="Saving…" status={isSaved ? "Saved." : null} />;
}

/** The submit button of a form on a page of its own, and Cancel back to where it came from. */
export function SaveOrCancel({ label, cancelHref }: { label: string; cancelHref: string }) {
  return (
    <div className="flex flex-wrap gap-2">
      <SubmitButton pendingLabel="Saving…">{label}</SubmitButton>
      <ButtonLink href={cancelHref} variant="secondary">
        Cancel
      </ButtonLink>
    </div>
  );
}
