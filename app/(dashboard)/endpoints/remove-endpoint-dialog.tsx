"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import { removeEndpointAction } from "./actions";

export function RemoveEndpointDialog({ endpointId, title }: { endpointId: string; title: string }) {
  return (
    <ConfirmDialog
      trigger="Remove"
      triggerLabel={`Stop watching ${title}`}
      title={`Stop watching ${title}?`}
      confirmLabel="Stop watching"
      pendingLabel="Removing…"
      action={removeEndpointAction}
      fields={{ endpointId }}
    >
      CertDeck stops probing it and forgets what it served. Nothing changes on the server itself.
    </ConfirmDialog>
  );
}
