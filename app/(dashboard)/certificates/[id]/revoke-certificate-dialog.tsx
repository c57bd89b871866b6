"use client";

import { Ban } from "lucide-react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { RevocationReasonField } from "./revocation-reason-field";
import { revokeCertificateAction } from "./revoke-actions";

export function RevokeCertificateDialog({ certificateId, name, version }: { certificateId: string; name: string; version: number }) {
  return (
    <ConfirmDialog
      trigger="Revoke"
      triggerIcon={Ban}
      title={`Revoke ${name}?`}
      confirmLabel="Revoke at the CA"
      pendingLabel="Queuing…"
      action={revokeCertificateAction}
      fields={{ certificateId }}
      formFields={<RevocationReasonField id="revocation-reason" defaultReason="superseded" />}
    >
      Version {version} is revoked at the CA with the account key; browsers will then refuse it. nginx keeps serving it until a renewal replaces it, so renew
      right after (or revoke only when the key is compromised or the names are gone). This cannot be undone.
    </ConfirmDialog>
  );
}
