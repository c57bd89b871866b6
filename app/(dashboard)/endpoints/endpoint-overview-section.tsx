import Link from "next/link";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { ServedAsIssued } from "@/components/endpoints/served-as-issued";
import { ExpiryCountdown } from "@/components/expiry-countdown";
import { Card, CardHeader } from "@/components/ui/card";
import { displayTimeZone } from "@/lib/core/env";
import { getEndpointOverview, type EndpointOverview } from "@/lib/domain/endpoints/queries";

/** The endpoint watch's counts: watched, served ≠ issued, expiring soon, problems. Each links to the Endpoints page. */
export function EndpointTiles({ summary }: { summary: EndpointOverview }) {
  const red = "text-red-600 dark:text-red-400";
  const tiles = [
    { label: "Watched endpoints", value: summary.total, tone: "" },
    { label: "Served ≠ issued", value: summary.servedNotIssued, tone: summary.servedNotIssued ? red : "" },
    { label: "Endpoints expiring soon", value: summary.expiringSoon, tone: summary.expiringSoon ? "text-amber-700 dark:text-amber-300" : "" },
    { label: "Endpoint problems", value: summary.problems, tone: summary.problems ? red : "" },
  ];
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {tiles.map((tile) => (
        <Link
          key={tile.label}
          href="/endpoints"
          className="rounded-lg border border-zinc-200 bg-white px-3 py-2.5 hover:border-zinc-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
        >
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{tile.label}</p>
          <p className={`mt-0.5 text-2xl font-semibold tabular-nums ${tile.tone}`}>{tile.value}</p>
        </Link>
      ))}
    </div>
  );
}

/**
 * The overview's endpoint section: the tiles, then the endpoints of managed certificates with
 * "served as issued" at a glance (those that are not first), and other endpoints that need a
 * look (expiring, not answering, wrong certificate). Reads its own data, so the overview inserts
 * it with one line.
 */
export async function EndpointOverviewSection({ now }: { now: Date }) {
  const summary = await getEndpointOverview(now);
  if (summary.total === 0) {
    return (
      <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        No endpoint is watched yet.{" "}
        <Link href="/endpoints#add" className="font-medium text-blue-700 underline dark:text-blue-400">
          Watch an endpoint
        </Link>
      </p>
    );
  }
  const managedIds = new Set(summary.managed.map((row) => row.id));
  const others = summary.attention.filter((row) => !managedIds.has(row.id));
  const timeZone = displayTimeZone();
  return (
    <section aria-label="Endpoints" className="mt-5 space-y-3">
      <EndpointTiles summary={summary} />
      {(summary.managed.length > 0 || others.length > 0) && (
        <Card>
          <CardHeader
            title="Served as issued?"
            description="What the watched endpoints served at their last check."
            actions={
              <Link href="/endpoints" className="text-xs font-medium text-blue-700 underline dark:text-blue-400">
                All endpoints
              </Link>
            }
          />
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {[...summary.managed, ...others].map((row) => (
              <li key={row.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
                <span className="min-w-0">
                  {row.certificate && (
                    <Link href={`/certificates/${row.certificate.id}`} className="font-medium hover:underline">
                      {row.certificate.name}
                    </Link>
                  )}
                  {row.certificate && <span className="text-zinc-400"> at </span>}
                  <Link href={`/endpoints/${row.id}`} className="break-all text-zinc-700 hover:underline dark:text-zinc-300">
                    {row.title}
                  </Link>
                </span>
                <span className="flex flex-wrap items-center gap-2 text-xs">
                  {row.certificate ? (
                    <ServedAsIssued endpoint={row} />
                  ) : (
                    row.notAfter && <ExpiryCountdown notAfter={row.notAfter} renewAfter={row.expiringFrom} now={now} timeZone={timeZone} />
                  )}
                  <EndpointStatusBadge status={row.status} />
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </section>
  );
}
