"use client";

import { Trash2 } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { deleteDeployTargetAction } from "./actions";

export function DeleteTargetDialog({ targetId, name, assignedTo }: { targetId: string; name: string; assignedTo: number }) {
  return (
    <ConfirmDialog
      trigger={<Trash2 aria-hidden className="h-3.5 w-3.5" />}
      triggerLabel={`Delete ${name}`}
      triggerVariant="ghost"
      triggerSize="sm"
      title={`Delete ${name}?`}
      confirmLabel="Delete target"
      pendingLabel="Deleting…"
      action={deleteDeployTargetAction}
      fields={{ targetId }}
    >
      CertDeck forgets its settings, its key and its deploy history. Nothing is removed from the host.
      {assignedTo > 0 && ` ${assignedTo === 1 ? "The certificate that chose it deploys" : `The ${assignedTo} certificates that chose it deploy`} to their other targets (or the default targets) from then on.`}
    </ConfirmDialog>
  );
}
