"use client";

import { useState } from "react";
import { Trash2 } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Field, Select } from "@/components/ui/form-field";
import { REVOCATION_REASONS } from "@/lib/protocol/acme/revocation-reasons";
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
      trigger={
        <>
          <Trash2 aria-hidden className="h-4 w-4" />
          Delete
        </>
      }
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
            {isRevokingFirst && (
              <Field id="delete-revocation-reason" label="Reason">
                <Select id="delete-revocation-reason" name="reason" defaultValue="cessationOfOperation">
                  {Object.entries(REVOCATION_REASONS).map(([id, { label }]) => (
                    <option key={id} value={id}>
                      {label}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
          </div>
        )
      }
    >
      CertDeck stops renewing it and forgets its versions. Its files are not destroyed: {liveDirectory} and its archive move to <code>deleted/</code> in the
      data directory. An nginx that still points at them keeps the certificate it loaded until it is reloaded.
    </ConfirmDialog>
  );
}
