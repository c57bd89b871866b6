"use client";

import type { ReactNode } from "react";
import { Trash2 } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import type { FormState } from "@/lib/web/form-state";

/**
 * The small "Delete" button of one item in a settings list (a DNS provider, a channel, a deploy
 * target) and its confirmation "Delete {name}?". `isIconOnly` shows just the bin (a ghost button).
 */
export function DeleteDialog({
  name,
  confirmLabel,
  action,
  fields,
  isIconOnly = false,
  children,
}: {
  name: string;
  confirmLabel: string;
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  isIconOnly?: boolean;
  /** What deleting it does. */
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      trigger={isIconOnly ? null : "Delete"}
      triggerIcon={Trash2}
      triggerLabel={`Delete ${name}`}
      triggerVariant={isIconOnly ? "ghost" : "secondary"}
      triggerSize="sm"
      title={`Delete ${name}?`}
      confirmLabel={confirmLabel}
      pendingLabel="Deleting…"
      action={action}
      fields={fields}
    >
      {children}
    </ConfirmDialog>
  );
}
