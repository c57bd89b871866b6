import { Badge, type BadgeTone } from "@/components/ui/badge";
import { expiryUrgency } from "@/lib/domain/renewal/expiry";

const ACTIVE_JOB_LABELS: Record<string, string> = {
  issue: "Issuing…",
  renew: "Renewing…",
  "dry-run": "Testing renewal…",
  deploy: "Deploying…",
  revoke: "Revoking…",
};

/** One badge per certificate: what needs attention first (a running job, a failure, expiry). */
export function CertificateStatusBadge({
  status,
  notAfter,
  renewAfter,
  activeJobType,
  activeJobStatus,
  deployStatus,
  isRevoked = false,
  now,
}: {
  status: string;
  notAfter: Date | null;
  renewAfter: Date | null;
  activeJobType?: string | null;
  /** The active job's status: "waiting" means it needs the operator (e.g. manual DNS records). */
  activeJobStatus?: string | null;
  /** The current version's deploy state (see CertificateVersion.deployStatus). */
  deployStatus?: string | null;
  isRevoked?: boolean;
  now: Date;
}) {
  const [tone, label] = describe();
  return <Badge tone={tone}>{label}</Badge>;

  function describe(): [BadgeTone, string] {
    if (activeJobType && activeJobStatus === "waiting") return ["amber", "Waiting for you"];
    if (activeJobType) return ["blue", ACTIVE_JOB_LABELS[activeJobType] ?? "Working…"];
    if (status === "failed") return ["red", notAfter ? "Renewal failed" : "Failed"];
    if (!notAfter) return ["gray", "Pending"];
    if (isRevoked) return ["red", "Revoked"];
    if (deployStatus === "deploy-failed") return ["red", "Issued, not deployed"];
    if (deployStatus === "waiting-window") return ["amber", "Waiting for deploy window"];
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
