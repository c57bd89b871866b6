"use client";

import { SubmitButton } from "@/components/submit-button";

/** A settings form's submit button, with "Saved." announced after a successful save. */
export function SaveBar({ label, isSaved }: { label: string; isSaved: boolean }) {
  return (
    <div className="flex items-center gap-3">
      <SubmitButton pendingLabel="Saving…">{label}</SubmitButton>
      {isSaved && (
        <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          Saved.
        </span>
      )}
    </div>
  );
}
