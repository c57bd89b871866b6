import { RefreshCw } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { checkEndpointAction } from "./actions";

/** "Check now" for one endpoint: probes at once; the page shows the new status when it returns. */
export function CheckNowButton({
  endpointId,
  title,
  certificateId,
  size = "sm",
  variant = "secondary",
}: {
  endpointId: string;
  title: string;
  certificateId?: string | null;
  size?: "sm" | "md";
  variant?: "primary" | "secondary";
}) {
  return (
    <form action={checkEndpointAction}>
      <input type="hidden" name="endpointId" value={endpointId} />
      {certificateId && <input type="hidden" name="certificateId" value={certificateId} />}
      <SubmitButton variant={variant} size={size} pendingLabel="Checking…" aria-label={`Check now: ${title}`} icon={RefreshCw}>
        Check now
      </SubmitButton>
    </form>
  );
}
