"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import { revokePullerAction } from "./puller-actions";

export function RevokePullerDialog({ pullerId, name }: { pullerId: string; name: string }) {
  return (
    <ConfirmDialog
      trigger="Revoke"
      triggerLabel={`Revoke the puller ${name}`}
      triggerSize="sm"
      title={`Revoke the puller “${name}”?`}
      confirmLabel="Revoke puller"
      pendingLabel="Revoking…"
      action={revokePullerAction}
      fields={{ pullerId }}
    >
      Its agent gets 401 from its next run on; the files it installed stay on the machine. This cannot be undone: add a new puller to give access again.
    </ConfirmDialog>
  );
}
