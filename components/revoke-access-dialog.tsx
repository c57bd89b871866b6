"use client";

import type { ReactNode } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import type { FormState } from "@/lib/web/form-state";

/**
 * The small "Revoke" button of a token handed out (an API token, a puller's) and its confirmation
 * "Revoke the {kind} “{name}”?"; a revoked token cannot be given back.
 */
export function RevokeAccessDialog({
  kind,
  name,
  triggerLabel,
  action,
  fields,
  children,
}: {
  kind: "token" | "puller";
  name: string;
  /** The button's accessible name, naming what it revokes. */
  triggerLabel: string;
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  /** What revoking it does. */
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      trigger="Revoke"
      triggerLabel={triggerLabel}
      triggerSize="sm"
      title={`Revoke the ${kind} “${name}”?`}
      confirmLabel={`Revoke ${kind}`}
      pendingLabel="Revoking…"
      action={action}
      fields={fields}
    >
      {children}
    </ConfirmDialog>
  );
}
