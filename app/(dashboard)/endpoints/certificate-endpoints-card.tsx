import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { listCertificateEndpoints } from "@/lib/domain/endpoints/queries";
import { EndpointListItem } from "./endpoint-list-item";

/**
 * A managed certificate's watched endpoints, for its page: each with its status and "served as
 * issued ✓ / serves version N ✗". Reads its own data, so the page inserts it with one line.
 */
export async function CertificateEndpointsCard({ certificateId }: { certificateId: string }) {
  const endpoints = await listCertificateEndpoints(certificateId);
  const now = new Date();
  return (
    <Card>
      <CardHeader
        title="Endpoints"
        description="Where this certificate should be served, probed on a schedule: is the current version what clients get?"
        actions={
          <Link href={`/endpoints?certificate=${certificateId}#add`} className="text-xs font-medium text-blue-700 underline dark:text-blue-400">
            Watch an endpoint
          </Link>
        }
      />
      {endpoints.length === 0 ? (
        <p className="px-4 py-4 text-sm text-zinc-500 dark:text-zinc-400">
          No endpoint watched for it yet. Deploy targets that verify an address add theirs automatically.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {endpoints.map((endpoint) => (
            <EndpointListItem key={endpoint.id} endpoint={endpoint} now={now} showCertificate={false} />
          ))}
        </ul>
      )}
    </Card>
  );
}
