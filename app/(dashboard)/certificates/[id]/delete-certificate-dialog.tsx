"use client";

import { useActionState, useRef } from "react";
import { Trash2 } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { Button } from "@/components/ui/button";
import type { FormState } from "@/lib/validation/form-result";
import { deleteCertificateAction } from "../actions";

export function DeleteCertificateDialog({ certificateId, name, liveDirectory }: { certificateId: string; name: string; liveDirectory: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction] = useActionState<FormState, FormData>(deleteCertificateAction, {});
  return (
    <>
      <Button variant="secondary" onClick={() => dialog.current?.showModal()}>
        <Trash2 aria-hidden className="h-4 w-4" />
        Delete
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby="delete-title"
        className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id="delete-title" className="text-base font-semibold">
          Delete {name}?
        </h2>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          CertDeck stops renewing it and forgets its versions. Its files are not destroyed: {liveDirectory} and its archive move to{" "}
          <code>deleted/</code> in the data directory. An nginx that still points at them keeps the certificate it loaded until it is
          reloaded.
        </p>
        {state.formError && (
          <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
            {state.formError}
          </p>
        )}
        <form action={formAction} className="mt-5 flex justify-end gap-2">
          <input type="hidden" name="certificateId" value={certificateId} />
          <Button type="button" variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <SubmitButton variant="danger" pendingLabel="Deleting…">
            Delete certificate
          </SubmitButton>
        </form>
      </dialog>
    </>
  );
}
