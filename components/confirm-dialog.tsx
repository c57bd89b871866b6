"use client";

import { useActionState, useId, useRef, type ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { Button, type ButtonVariant } from "@/components/ui/button";
import type { FormState } from "@/lib/web/form-state";
import { DialogActions, Modal } from "@/components/ui/modal";

/**
 * A destructive action behind a modal confirmation (native <dialog>: focus is trapped, Escape
 * closes it). The action gets `fields` as hidden inputs and may answer with a formError.
 */
export function ConfirmDialog({
  trigger,
  triggerIcon,
  triggerLabel,
  triggerVariant = "secondary",
  triggerSize = "md",
  title,
  children,
  confirmLabel,
  pendingLabel,
  action,
  fields,
  formFields,
}: {
  /** The trigger's label; null when it shows only its icon. */
  trigger: ReactNode;
  triggerIcon?: LucideIcon;
  /** Accessible name of the trigger when it shows only an icon. */
  triggerLabel?: string;
  triggerVariant?: ButtonVariant;
  triggerSize?: "sm" | "md";
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  /** Inputs the user fills in inside the dialog (e.g. a reason), submitted with the action. */
  formFields?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction] = useActionState<FormState, FormData>(action, {});
  return (
    <>
      <Button variant={triggerVariant} size={triggerSize} icon={triggerIcon} onClick={() => dialog.current?.showModal()} aria-label={triggerLabel}>
        {trigger}
      </Button>
      <Modal dialogRef={dialog} titleId={titleId} title={title}>
        <div className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
        {state.formError && (
          <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
            {state.formError}
          </p>
        )}
        <form action={formAction} className="mt-4 space-y-4">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {formFields}
          <DialogActions dialogRef={dialog} isCancelFocused>
            <SubmitButton variant="danger" pendingLabel={pendingLabel}>
              {confirmLabel}
            </SubmitButton>
          </DialogActions>
        </form>
      </Modal>
    </>
  );
}
