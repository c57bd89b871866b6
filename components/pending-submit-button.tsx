"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";

/** SubmitButton's client half: reads its form's status; while pending, `pendingLabel` (when given) stands in for the icon and the label. */
export function PendingSubmitButton({
  icon,
  children,
  pendingLabel,
  variant = "primary",
  size = "md",
  ...props
}: {
  /** Drawn already (a component cannot be passed in from a server component). */
  icon?: ReactNode;
  children: ReactNode;
  pendingLabel?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  "aria-label"?: string;
  name?: string;
  value?: string;
  disabled?: boolean;
}) {
  const { pending } = useFormStatus();
  const isShowingPendingLabel = pending && pendingLabel !== undefined;
  return (
    <Button type="submit" variant={variant} size={size} disabled={pending || props.disabled} aria-busy={pending} {...props}>
      {isShowingPendingLabel ? (
        pendingLabel
      ) : (
        <>
          {icon}
          {children}
        </>
      )}
    </Button>
  );
}
