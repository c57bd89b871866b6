import { Badge } from "@/components/ui/badge";
import { ENDPOINT_STATUS_LABELS, endpointStatusTone, type EndpointStatus } from "@/lib/domain/endpoints/endpoint-status";

/** One badge per watched endpoint: its last probe's status in a word or two ("Served ≠ issued", "Refused"). */
export function EndpointStatusBadge({ status }: { status: EndpointStatus }) {
  return <Badge tone={endpointStatusTone(status)}>{ENDPOINT_STATUS_LABELS[status]}</Badge>;
}
