import { RefreshCw } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { renewCertificateAction } from "./actions";

/**
 * The one word for ordering a certificate again, everywhere it is offered (the overview's row
 * and card, the certificate's page): "Renew" once it has been issued, "Try again" while it
 * never was (its first order failed or was stopped). Both queue the same job.
 */
export function renewLabel(hasCurrentVersion: boolean): string {
  return hasCurrentVersion ? "Renew" : "Try again";
}

/** The button's accessible name where several certificates are listed: "Renew shop.example.com". */
export function renewAccessibleName(hasCurrentVersion: boolean, name: string): string {
  return hasCurrentVersion ? `Renew ${name}` : `Try again for ${name}`;
}

/** Renew / Try again, disabled while a job works on the certificate (its badge says which). */
export function RenewButton({
  certificateId,
  name,
  hasCurrentVersion,
  isBusy,
  size = "md",
  variant = "primary",
  isNamed = false,
}: {
  certificateId: string;
  name: string;
  hasCurrentVersion: boolean;
  isBusy: boolean;
  size?: "sm" | "md";
  variant?: "primary" | "secondary";
  /** In a list: the accessible name includes the certificate's name. */
  isNamed?: boolean;
}) {
  return (
    <form action={renewCertificateAction}>
      <input type="hidden" name="certificateId" value={certificateId} />
      <SubmitButton
        variant={variant}
        size={size}
        pendingLabel="Queuing…"
        disabled={isBusy}
        aria-label={isNamed ? renewAccessibleName(hasCurrentVersion, name) : undefined}
      >
        <RefreshCw aria-hidden className={size === "sm" ? "h-3.5 w-3.5" : "h-4 w-4"} />
        {renewLabel(hasCurrentVersion)}
      </SubmitButton>
    </form>
  );
}
