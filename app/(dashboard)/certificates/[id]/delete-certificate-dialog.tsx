"use client";

import { useState } from "react";
import { Trash2 } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { RevocationReasonField } from "./revocation-reason-field";
import { deleteOrRevokeThenDeleteAction } from "./revoke-actions";

export function DeleteCertificateDialog({
  certificateId,
  name,
  liveDirectory,
  canRevoke = false,
}: {
  certificateId: string;
  name: string;
  liveDirectory: string;
  /** The current version is issued and not revoked: offer "Revoke at the CA first". */
  canRevoke?: boolean;
}) {
  const [isRevokingFirst, setIsRevokingFirst] = useState(false);
  return (
    <ConfirmDialog
      trigger="Delete"
      triggerIcon={Trash2}
      title={`Delete ${name}?`}
      confirmLabel={isRevokingFirst ? "Revoke, then delete" : "Delete certificate"}
      pendingLabel={isRevokingFirst ? "Queuing…" : "Deleting…"}
      action={deleteOrRevokeThenDeleteAction}
      fields={{ certificateId }}
      formFields={
        canRevoke && (
          <div className="space-y-3 rounded-md border border-zinc-200 px-3 py-2.5 dark:border-zinc-800">
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="revokeFirst"
                checked={isRevokingFirst}
                onChange={(event) => setIsRevokingFirst(event.target.checked)}
                className="mt-0.5"
              />
              <span>
                Revoke at the CA first
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                  For a compromised key or names you no longer use. The certificate is deleted only once the CA confirmed the revocation.
                </span>
              </span>
            </label>
            {isRevokingFirst && <RevocationReasonField id="delete-revocation-reason" defaultReason="cessationOfOperation" />}
          </div>
        )
      }
    >
      CertDeck stops renewing it and forgets its versions. Its files are not destroyed: {liveDirectory} and its archive move to <code>deleted/</code> in the
      data directory. An nginx that still points at them keeps the certificate it loaded until it is reloaded.
    </ConfirmDialog>
  );
}
