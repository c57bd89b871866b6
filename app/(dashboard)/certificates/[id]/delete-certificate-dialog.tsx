"use client";

import { Trash2 } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { deleteCertificateAction } from "../actions";

export function DeleteCertificateDialog({ certificateId, name, liveDirectory }: { certificateId: string; name: string; liveDirectory: string }) {
  return (
    <ConfirmDialog
      trigger={
        <>
          <Trash2 aria-hidden className="h-4 w-4" />
          Delete
        </>
      }
      title={`Delete ${name}?`}
      confirmLabel="Delete certificate"
      pendingLabel="Deleting…"
      action={deleteCertificateAction}
      fields={{ certificateId }}
    >
      CertDeck stops renewing it and forgets its versions. Its files are not destroyed: {liveDirectory} and its archive move to{" "}
      <code>deleted/</code> in the data directory. An nginx that still points at them keeps the certificate it loaded until it is reloaded.
    </ConfirmDialog>
  );
}
