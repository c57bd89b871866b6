"use client";

import { Ban } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Field, Select } from "@/components/ui/form-field";
import { revokeCertificateAction } from "./revoke-actions";

export function RevokeCertificateDialog({
  certificateId,
  name,
  version,
  reasons,
}: {
  certificateId: string;
  name: string;
  version: number;
  reasons: Array<{ id: string; label: string }>;
}) {
  return (
    <ConfirmDialog
      trigger={
        <>
          <Ban aria-hidden className="h-4 w-4" />
          Revoke
        </>
      }
      title={`Revoke ${name}?`}
      confirmLabel="Revoke at the CA"
      pendingLabel="Queuing…"
      action={revokeCertificateAction}
      fields={{ certificateId }}
      formFields={
        <Field id="revocation-reason" label="Reason">
          <Select id="revocation-reason" name="reason" defaultValue="superseded">
            {reasons.map((reason) => (
              <option key={reason.id} value={reason.id}>
                {reason.label}
              </option>
            ))}
          </Select>
        </Field>
      }
    >
      Version {version} is revoked at the CA with the account key; browsers will then refuse it. nginx keeps serving it until a renewal replaces it, so renew
      right after (or revoke only when the key is compromised or the names are gone). This cannot be undone.
    </ConfirmDialog>
  );
}
