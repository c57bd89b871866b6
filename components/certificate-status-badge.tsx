import { Badge, type BadgeTone } from "@/components/ui/badge";
import { expiryUrgency } from "@/lib/certificates/expiry";

/** One badge per certificate: what needs attention first (a running job, a failure, expiry). */
export function CertificateStatusBadge({
  status,
  notAfter,
  renewAfter,
  activeJobType,
  now,
}: {
  status: string;
  notAfter: Date | null;
  renewAfter: Date | null;
  activeJobType?: string | null;
  now: Date;
}) {
  const [tone, label] = describe();
  return <Badge tone={tone}>{label}</Badge>;

  function describe(): [BadgeTone, string] {
    if (activeJobType) return ["blue", activeJobType === "renew" ? "Renewing…" : "Issuing…"];
    if (status === "failed") return ["red", notAfter ? "Renewal failed" : "Failed"];
    if (!notAfter) return ["gray", "Pending"];
    switch (expiryUrgency(now, notAfter, renewAfter)) {
      case "expired":
        return ["red", "Expired"];
      case "critical":
        return ["red", "Expiring"];
      case "renewal-window":
        return ["amber", "Renew soon"];
      default:
        return ["green", "Valid"];
    }
  }
}
