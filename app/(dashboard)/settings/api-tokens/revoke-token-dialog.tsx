"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import { revokeApiTokenAction } from "./actions";

export function RevokeTokenDialog({ tokenId, name }: { tokenId: string; name: string }) {
  return (
    <ConfirmDialog
      trigger="Revoke"
      triggerLabel={`Revoke ${name}`}
      triggerSize="sm"
      title={`Revoke the token “${name}”?`}
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      action={revokeApiTokenAction}
      fields={{ tokenId }}
    >
      Scripts and scrapers using it get 401 from their next request on. This cannot be undone: create a new token to give access again.
    </ConfirmDialog>
  );
}
