import type { Metadata } from "next";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { idSchema } from "@/lib/core/ids";
import { listCertificateChoices, listEndpoints, summarizeEndpoints } from "@/lib/domain/endpoints/queries";
import { EndpointForm } from "./endpoint-form";
import { EndpointListItem } from "./endpoint-list-item";
import { EndpointTiles } from "./endpoint-overview-section";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Endpoints" };

const searchParamsSchema = z.object({ certificate: idSchema.optional().catch(undefined) });

export default async function EndpointsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { certificate } = searchParamsSchema.parse(await searchParams);
  const now = new Date();
  const [endpoints, certificates] = await Promise.all([listEndpoints(), listCertificateChoices()]);
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="TLS endpoints CertDeck probes on a schedule, for certificates issued here or anywhere else: what they serve, until when, and whether it is the current version."
      />
      {endpoints.total > 0 && <EndpointTiles summary={summarizeEndpoints(endpoints, now)} />}
      <Card className="mt-5">
        <CardHeader
          title="Watched endpoints"
          description="Problems first. Checked every 6 hours while all is well, every hour while something is wrong, and soon again after a failed connection."
        />
        {endpoints.rows.length < endpoints.total && (
          <p className="border-b border-zinc-100 px-4 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            Listing {endpoints.rows.length.toLocaleString("en-US")} of {endpoints.total.toLocaleString("en-US")} endpoints: those that are not fine first, then
            fine ones by address. The counts above cover them all.
          </p>
        )}
        {endpoints.rows.length === 0 ? (
          <EmptyState>No endpoint is watched yet. Add one below: any host and port that serves TLS.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {endpoints.rows.map((endpoint) => (
              <EndpointListItem key={endpoint.id} endpoint={endpoint} now={now} />
            ))}
          </ul>
        )}
      </Card>
      <Card className="mt-5">
        <CardHeader
          title="Watch an endpoint"
          description="Probed at once when added. Private addresses (10.x, 192.168.x, this machine) are fine; metadata and link-local addresses are refused."
        />
        <div id="add" className="px-4 py-4">
          <EndpointForm certificates={certificates} defaultCertificateId={certificate} />
        </div>
      </Card>
    </>
  );
}
