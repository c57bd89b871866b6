"use client";

import { useActionState, useEffect, useId, useRef } from "react";
import { FileKey, KeyRound } from "lucide-react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/form-field";
import { downloadPfxAction, downloadPrivateKeyAction, type PfxDownloadState, type PrivateKeyDownloadState } from "./private-key-actions";
import { DialogActions, Modal } from "@/components/ui/modal";

/** "privkey.pem" behind a password prompt; the key is handed to the browser only as a file. */
export function PrivateKeyDownload({ certificateId, size = "md" }: { certificateId: string; size?: "sm" | "md" }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction] = useActionState<PrivateKeyDownloadState, FormData>(downloadPrivateKeyAction, {});

  useEffect(() => {
    if (!state.download) return;
    saveFile(new Blob([state.download.pem], { type: "application/x-pem-file" }), state.download.filename);
    dialog.current?.close();
  }, [state.download]);

  return (
    <>
      <Button variant="secondary" size={size} onClick={() => dialog.current?.showModal()} icon={KeyRound}>
        privkey.pem
      </Button>
      <Modal dialogRef={dialog} titleId={titleId} title="Download the private key">
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Whoever has this file can impersonate the site until the certificate expires or is revoked. Confirm with your password; the download is recorded in
          the audit log.
        </p>
        <form action={formAction} className="mt-4 space-y-4" noValidate>
          <input type="hidden" name="certificateId" value={certificateId} />
          <Field id="key-download-password" label="Your password" errors={state.fieldErrors?.password}>
            <Input id="key-download-password" name="password" type="password" autoComplete="current-password" errors={state.fieldErrors?.password} />
          </Field>
          <FormError message={state.formError} />
          <DialogActions dialogRef={dialog}>
            <SubmitButton pendingLabel="Checking…">Download</SubmitButton>
          </DialogActions>
        </form>
      </Modal>
    </>
  );
}

/**
 * The key, certificate and chain as a password-protected PFX (PKCS#12) for Windows/IIS, Java and
 * appliances: the user's password again, then an export password typed twice.
 */
export function PfxDownload({ certificateId, size = "md" }: { certificateId: string; size?: "sm" | "md" }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction] = useActionState<PfxDownloadState, FormData>(downloadPfxAction, {});
  const errors = state.fieldErrors ?? {};

  useEffect(() => {
    if (!state.download) return;
    const bytes = Uint8Array.from(atob(state.download.base64), (character) => character.charCodeAt(0));
    saveFile(new Blob([bytes], { type: "application/x-pkcs12" }), state.download.filename);
    dialog.current?.close();
  }, [state.download]);

  return (
    <>
      <Button variant="secondary" size={size} onClick={() => dialog.current?.showModal()} icon={FileKey}>
        Download PFX
      </Button>
      <Modal dialogRef={dialog} titleId={titleId} title="Download as PFX (PKCS#12)">
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          One file with the private key, the certificate and its chain, for Windows/IIS, Java keystores and appliances. Confirm with your password and choose
          the password that will protect the file; the download is recorded in the audit log.
        </p>
        <form key={state.download?.at} action={formAction} className="mt-4 space-y-4" noValidate>
          <input type="hidden" name="certificateId" value={certificateId} />
          <Field id="pfx-password" label="Your password" errors={errors.password}>
            <Input id="pfx-password" name="password" type="password" autoComplete="current-password" errors={errors.password} />
          </Field>
          <Field
            id="pfx-export-password"
            label="Export password for the file"
            hint="At least 8 characters. Whoever imports the file needs it."
            errors={errors.exportPassword}
          >
            <Input id="pfx-export-password" name="exportPassword" type="password" autoComplete="new-password" hasHint errors={errors.exportPassword} />
          </Field>
          <Field id="pfx-export-password-confirm" label="Repeat the export password" errors={errors.exportPasswordConfirm}>
            <Input
              id="pfx-export-password-confirm"
              name="exportPasswordConfirm"
              type="password"
              autoComplete="new-password"
              errors={errors.exportPasswordConfirm}
            />
          </Field>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="encryption" value="legacy-3des" className="mt-0.5" aria-describedby="pfx-legacy-hint" />
            <span>
              Legacy encryption (3DES, SHA-1)
              <span id="pfx-legacy-hint" className="block text-xs text-zinc-500 dark:text-zinc-400">
                Only for systems that reject the default AES-256: Windows Server 2016 and older, Java 8, some appliances.
              </span>
            </span>
          </label>
          <FormError message={state.formError} />
          <DialogActions dialogRef={dialog}>
            <SubmitButton pendingLabel="Building…">Download PFX</SubmitButton>
          </DialogActions>
        </form>
      </Modal>
    </>
  );
}

/** Hands a file the server action returned to the browser's download. */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
