"use client";

import { useActionState, useEffect, useId, useRef } from "react";
import { KeyRound } from "lucide-react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/form-field";
import { downloadPrivateKeyAction, type PrivateKeyDownloadState } from "./private-key-actions";
import { Modal } from "@/components/ui/modal";

/** "privkey.pem" behind a password prompt; the key is handed to the browser only as a file. */
export function PrivateKeyDownload({ certificateId }: { certificateId: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction] = useActionState<PrivateKeyDownloadState, FormData>(downloadPrivateKeyAction, {});

  useEffect(() => {
    if (!state.download) return;
    const url = URL.createObjectURL(new Blob([state.download.pem], { type: "application/x-pem-file" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = state.download.filename;
    link.click();
    URL.revokeObjectURL(url);
    dialog.current?.close();
  }, [state.download]);

  return (
    <>
      <Button variant="secondary" onClick={() => dialog.current?.showModal()}>
        <KeyRound aria-hidden className="h-4 w-4" />
        privkey.pem
      </Button>
      <Modal dialogRef={dialog} titleId={titleId} title="Download the private key">
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Whoever has this file can impersonate the site until the certificate expires or is revoked. Confirm with your password; the
          download is recorded in the audit log.
        </p>
        <form action={formAction} className="mt-4 space-y-4" noValidate>
          <input type="hidden" name="certificateId" value={certificateId} />
          <Field id="key-download-password" label="Your password" errors={state.fieldErrors?.password}>
            <Input id="key-download-password" name="password" type="password" autoComplete="current-password" errors={state.fieldErrors?.password} />
          </Field>
          <FormError message={state.formError} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <SubmitButton pendingLabel="Checking…">Download</SubmitButton>
          </div>
        </form>
      </Modal>
    </>
  );
}
