import type { Metadata } from "next";
import Link from "next/link";
import { Import, Plus, Search, Upload } from "lucide-react";
import { z } from "zod";
import { AutoRefresh } from "@/components/auto-refresh";
import { LiveJobsRefresh } from "@/components/live-jobs-refresh";
import { CertificateStatusBadge } from "@/components/certificate-status-badge";
import { ExpiryCountdown } from "@/components/expiry-countdown";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Cell, Table } from "@/components/ui/table";
import { requireUser } from "@/lib/web/session";
import { listAccountSummaries } from "@/lib/domain/accounts/queries";
import {
  CERTIFICATE_FILTERS,
  getCertificateOverview,
  listCertificates,
  type CertificateListRow,
  type CertificateOverview,
} from "@/lib/domain/certificates/queries";
import { displayTimeZone } from "@/lib/core/env";
import { keysOf } from "@/lib/core/keys-of";
import { formatDateTime, formatExpiryCountdown } from "@/lib/core/dates";
import { describeNextRenewal } from "@/lib/domain/renewal/describe-renewal";
import { failureLabel } from "@/lib/domain/certificates/failure-labels";
import { EndpointOverviewSection } from "./endpoints/endpoint-overview-section";
import { GettingStarted } from "./getting-started";
import { RenewButton } from "./certificates/renew-button";

export const metadata: Metadata = { title: "Certificates" };

const searchParamsSchema = z.object({
  filter: z.enum(keysOf(CERTIFICATE_FILTERS)).catch("all"),
  q: z.string().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export default async function CertificatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { filter, q, page } = searchParamsSchema.parse({ filter: "all", q: "", page: 1, ...(await searchParams) });
  const now = new Date();
  const [overview, list, accounts] = await Promise.all([
    getCertificateOverview(now),
    listCertificates({ filter, search: q, page, now }),
    listAccountSummaries(),
  ]);
  const isFiltered = filter !== "all" || q !== "";
  const hrefFor = (changes: Partial<{ filter: string; q: string; page: number }>) => {
    const params = new URLSearchParams();
    const next = { filter, q, page: 1, ...changes };
    if (next.filter !== "all") params.set("filter", next.filter);
    if (next.q) params.set("q", next.q);
    if (next.page > 1) params.set("page", String(next.page));
    const query = params.toString();
    return query ? `/?${query}` : "/";
  };

  return (
    <>
      {/* Queued and running jobs are followed over one event stream; a job waiting for the operator changes only when the operator acts. */}
      <LiveJobsRefresh jobs={list.rows.flatMap((row) => (row.activeJob ? [{ id: row.activeJob.id, status: row.activeJob.status }] : []))} />
      {/* A fresh install: the first account's registration moves the guide on. */}
      <AutoRefresh isActive={list.total === 0 && accounts.some((account) => account.status === "pending")} intervalMs={2000} />
      <PageHeader
        title="Certificates"
        description="Every lineage this server manages, soonest expiry first."
        actions={
          <>
            <ButtonLink href="/certificates/upload" variant="secondary" icon={Upload}>
              Upload
            </ButtonLink>
            <ButtonLink href="/certificates/import" variant="secondary" icon={Import}>
              Import from certbot
            </ButtonLink>
            <ButtonLink href="/certificates/new" icon={Plus}>
              Add certificate
            </ButtonLink>
          </>
        }
      />
      <OverviewTiles overview={overview} now={now} />
      <NextRenewalLine overview={overview} now={now} />
      <EndpointOverviewSection now={now} />

      <Card className="mt-5">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <nav aria-label="Filter certificates" className="flex flex-wrap gap-1">
            {Object.entries(CERTIFICATE_FILTERS).map(([key, label]) => (
              <Link
                key={key}
                href={hrefFor({ filter: key })}
                aria-current={filter === key ? "page" : undefined}
                className={`rounded-md px-2 py-1 text-xs font-medium ${
                  filter === key
                    ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                    : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
                }`}
              >
                {label}
              </Link>
            ))}
          </nav>
          <form role="search" action="/" className="relative w-full sm:w-auto">
            {filter !== "all" && <input type="hidden" name="filter" value={filter} />}
            <label htmlFor="certificate-search" className="sr-only">
              Search certificates by name
            </label>
            <Search aria-hidden className="pointer-events-none absolute left-2.5 top-2 h-4 w-4 text-zinc-400" />
            <input
              id="certificate-search"
              name="q"
              type="search"
              defaultValue={q}
              placeholder="Search names…"
              className="h-8 w-full rounded-md border border-zinc-300 bg-white pl-8 pr-2 text-sm sm:w-56 dark:border-zinc-700 dark:bg-zinc-900"
            />
          </form>
        </div>

        {list.rows.length === 0 ? (
          isFiltered ? (
            <EmptyState>No certificate matches.</EmptyState>
          ) : (
            <GettingStarted accounts={accounts} />
          )
        ) : (
          <>
            {/* Below lg: one card per certificate, name, status and countdown first. */}
            <ul aria-label="Certificate list" className="divide-y divide-zinc-100 lg:hidden dark:divide-zinc-800">
              {list.rows.map((row) => (
                <li key={row.id} className="space-y-1.5 px-4 py-3">
                  <div className="flex items-start justify-between gap-3">
                    <RowName row={row} />
                    <RowStatus row={row} now={now} />
                  </div>
                  <div className="flex items-center justify-between gap-3">
                    <p className="min-w-0 text-sm">
                      <RowExpiry row={row} now={now} />
                    </p>
                    <RowAction row={row} />
                  </div>
                  <RowDetails row={row} />
                  {row.issuer && <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{row.issuer}</p>}
                </li>
              ))}
            </ul>
            <div className="hidden lg:block">
              <Table columns={[{ label: "Names" }, { label: "Issuer" }, { label: "Status" }, { label: "Expiry" }]} hasActions>
                {list.rows.map((row) => (
                  <tr key={row.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                    <Cell className="max-w-xs">
                      <RowName row={row} />
                      <RowDetails row={row} />
                    </Cell>
                    <Cell className="text-zinc-600 dark:text-zinc-400">{row.issuer ?? "—"}</Cell>
                    <Cell>
                      <RowStatus row={row} now={now} />
                    </Cell>
                    <Cell className="whitespace-nowrap">
                      <RowExpiry row={row} now={now} />
                    </Cell>
                    <Cell className="text-right">
                      <RowAction row={row} />
                    </Cell>
                  </tr>
                ))}
              </Table>
            </div>
          </>
        )}
        {list.pageCount > 1 && <Pagination list={list} totalLabel={`${list.total} certificates`} hrefForPage={(page) => hrefFor({ page })} />}
      </Card>
    </>
  );
}

function OverviewTiles({ overview, now }: { overview: CertificateOverview; now: Date }) {
  const tiles = [
    { filter: "valid", label: "Valid", value: overview.valid, tone: "text-emerald-700 dark:text-emerald-400" },
    { filter: "renewal-window", label: "In renewal window", value: overview.renewalWindow, tone: "text-amber-700 dark:text-amber-300" },
    { filter: "expiring", label: "Expiring within 7 days", value: overview.expiring, tone: overview.expiring ? "text-red-600 dark:text-red-400" : "" },
    { filter: "expired", label: "Expired", value: overview.expired, tone: overview.expired ? "text-red-600 dark:text-red-400" : "" },
    { filter: "failing", label: "Failing", value: overview.failing, tone: overview.failing ? "text-red-600 dark:text-red-400" : "" },
  ];
  return (
    <section aria-label="Overview" className="grid grid-cols-3 gap-2 sm:gap-3 lg:grid-cols-6">
      {tiles.map((tile) => (
        <Link
          key={tile.filter}
          href={`/?filter=${tile.filter}`}
          className="min-w-0 rounded-lg border border-zinc-200 bg-white px-2.5 py-2 hover:border-zinc-300 sm:px-3 sm:py-2.5 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
        >
          <p className="text-xs leading-4 text-zinc-500 dark:text-zinc-400">{tile.label}</p>
          <p className={`mt-0.5 text-xl font-semibold tabular-nums sm:text-2xl ${tile.tone}`}>{tile.value}</p>
        </Link>
      ))}
      {overview.nextExpiry ? (
        <Link
          href={`/certificates/${overview.nextExpiry.id}`}
          className="min-w-0 rounded-lg border border-zinc-200 bg-white px-2.5 py-2 hover:border-zinc-300 sm:px-3 sm:py-2.5 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
          title={formatDateTime(overview.nextExpiry.notAfter, displayTimeZone())}
        >
          <p className="text-xs leading-4 text-zinc-500 dark:text-zinc-400">Next expiry</p>
          <p className="mt-0.5 truncate text-sm font-medium">{overview.nextExpiry.name}</p>
          <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{formatExpiryCountdown(overview.nextExpiry.notAfter, now)}</p>
        </Link>
      ) : (
        <div className="min-w-0 rounded-lg border border-dashed border-zinc-200 px-2.5 py-2 sm:px-3 sm:py-2.5 dark:border-zinc-800">
          <p className="text-xs leading-4 text-zinc-500 dark:text-zinc-400">Next expiry</p>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">none yet</p>
        </div>
      )}
    </section>
  );
}

function NextRenewalLine({ overview, now }: { overview: CertificateOverview; now: Date }) {
  const next = overview.nextRenewal;
  const description = next ? describeNextRenewal(next, now, displayTimeZone()) : null;
  return (
    <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
      Next automatic renewal:{" "}
      {next && description ? (
        <>
          <Link href={`/certificates/${next.id}`} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
            {next.name}
          </Link>{" "}
          · {description}
        </>
      ) : (
        "nothing scheduled yet"
      )}
    </p>
  );
}

/** The certificate's name, linking to its page (card or table). */
function RowName({ row }: { row: CertificateListRow }) {
  return (
    <Link href={`/certificates/${row.id}`} className="min-w-0 font-medium [overflow-wrap:anywhere] hover:underline">
      {row.name}
    </Link>
  );
}

/** How long until it expires (card or table). */
function RowExpiry({ row, now }: { row: CertificateListRow; now: Date }) {
  return <ExpiryCountdown notAfter={row.notAfter} renewAfter={row.renewAfter} now={now} timeZone={displayTimeZone()} />;
}

/** The status badge of a list row (card or table). */
function RowStatus({ row, now }: { row: CertificateListRow; now: Date }) {
  return (
    <CertificateStatusBadge
      status={row.status}
      notAfter={row.notAfter}
      renewAfter={row.renewAfter}
      activeJobType={row.activeJob?.type}
      activeJobStatus={row.activeJob?.status}
      deployStatus={row.deployStatus}
      isRevoked={row.isRevoked}
      now={now}
    />
  );
}

/** Renew (or Try again); an uploaded certificate is renewed where it was issued and uploaded again. */
function RowAction({ row }: { row: CertificateListRow }) {
  if (row.source === "upload") {
    return (
      <ButtonLink href={`/certificates/${row.id}/upload`} variant="secondary" size="sm">
        <span className="sr-only">{row.name}: </span>Upload newer
      </ButtonLink>
    );
  }
  return (
    <RenewButton
      certificateId={row.id}
      name={row.name}
      hasCurrentVersion={row.hasCurrentVersion}
      isBusy={Boolean(row.activeJob)}
      size="sm"
      variant="secondary"
      isNamed
    />
  );
}

/** Under the name: uploaded or not, the other names, and why the last attempt failed. */
function RowDetails({ row }: { row: CertificateListRow }) {
  return (
    <>
      {row.source === "upload" && (
        <p className="text-xs" title="Issued elsewhere and uploaded: CertDeck does not renew it">
          <Badge tone="gray">uploaded</Badge>
        </p>
      )}
      {row.identifiers.length > 1 && (
        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={row.identifiers.join(", ")}>
          {row.identifiers.slice(1).join(", ")}
        </p>
      )}
      {row.lastError && (
        <p className="mt-0.5 line-clamp-2 text-xs text-red-600 [overflow-wrap:anywhere] dark:text-red-400" title={row.lastError}>
          {failureLabel(row.lastErrorCode) && <span className="font-semibold">{failureLabel(row.lastErrorCode)}: </span>}
          {row.lastError}
        </p>
      )}
    </>
  );
}
