import type { ReactNode, RefObject } from "react";
import { Button } from "@/components/ui/button";

/**
 * A native modal <dialog> (focus trapped, Escape closes, backdrop), opened by the caller with
 * `ref.current.showModal()`. Titled for screen readers through aria-labelledby.
 */
export function Modal({
  dialogRef,
  titleId,
  title,
  size = "md",
  children,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  titleId: string;
  title: ReactNode;
  size?: "sm" | "md";
  children: ReactNode;
}) {
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      className={`m-auto w-full ${size === "sm" ? "max-w-sm" : "max-w-md"} rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      <h2 id={titleId} className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** The foot of a dialog: "Cancel", which closes it, then the dialog's own button. */
export function DialogActions({
  dialogRef,
  isCancelFocused = false,
  className = "",
  children,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  isCancelFocused?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`flex justify-end gap-2 ${className}`}>
      <Button type="button" variant="secondary" onClick={() => dialogRef.current?.close()} autoFocus={isCancelFocused}>
        Cancel
      </Button>
      {children}
    </div>
  );
}
