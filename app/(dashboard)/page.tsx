import type { Metadata } from "next";
import Link from "next/link";
import { Import, Plus, Search } from "lucide-react";
import { z } from "zod";
import { AutoRefresh } from "@/components/auto-refresh";
import { CertificateStatusBadge } from "@/components/certificate-status-badge";
import { ExpiryCountdown } from "@/components/expiry-countdown";
import { PageHeader } from "@/components/page-header";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { requireUser } from "@/lib/web/session";
import { listRegisteredAccounts } from "@/lib/domain/accounts/queries";
import {
  CERTIFICATE_FILTERS,
  getCertificateOverview,
  listCertificates,
  type CertificateFilter,
  type CertificateOverview,
} from "@/lib/domain/certificates/queries";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime, formatExpiryCountdown } from "@/lib/core/dates";
import { describeNextRenewal } from "@/lib/domain/renewal/describe-renewal";
import { failureLabel } from "@/lib/domain/certificates/failure-labels";
import { RenewButton } from "./certificates/renew-button";

export const metadata: Metadata = { title: "Certificates" };

const searchParamsSchema = z.object({
  filter: z.enum(Object.keys(CERTIFICATE_FILTERS) as [CertificateFilter, ...CertificateFilter[]]).catch("all"),
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
    listRegisteredAccounts(),
  ]);
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
      {/* A job waiting for the operator changes only when the operator acts: no need to poll for it. */}
      <AutoRefresh isActive={list.rows.some((row) => row.activeJob && row.activeJob.status !== "waiting")} intervalMs={2000} />
      <PageHeader
        title="Certificates"
        description="Every lineage this server manages, soonest expiry first."
        actions={
          <>
            <ButtonLink href="/certificates/import" variant="secondary">
              <Import aria-hidden className="h-4 w-4" />
              Import from certbot
            </ButtonLink>
            <ButtonLink href="/certificates/new">
              <Plus aria-hidden className="h-4 w-4" />
              Add certificate
            </ButtonLink>
          </>
        }
      />
      <OverviewTiles overview={overview} now={now} />
      <NextRenewalLine overview={overview} now={now} />

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
          <form role="search" action="/" className="relative">
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
              className="h-8 w-56 rounded-md border border-zinc-300 bg-white pl-8 pr-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
          </form>
        </div>

        {list.rows.length === 0 ? (
          <EmptyState hasAccounts={accounts.length > 0} isFiltered={filter !== "all" || q !== ""} />
        ) : (
          <Table
            columns={[
              { label: "Names" },
              { label: "Issuer" },
              { label: "Status" },
              { label: "Expiry" },
              { label: "Actions", isHidden: true, alignEnd: true },
            ]}
          >
                {list.rows.map((row) => (
                  <tr key={row.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                    <td className="max-w-xs px-4 py-2.5">
                      <Link href={`/certificates/${row.id}`} className="font-medium hover:underline">
                        {row.name}
                      </Link>
                      {row.identifiers.length > 1 && (
                        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={row.identifiers.join(", ")}>
                          {row.identifiers.slice(1).join(", ")}
                        </p>
                      )}
                      {row.lastError && (
                        <p className="mt-0.5 line-clamp-2 text-xs text-red-600 dark:text-red-400" title={row.lastError}>
                          {failureLabel(row.lastErrorCode) && <span className="font-semibold">{failureLabel(row.lastErrorCode)}: </span>}
                          {row.lastError}
                        </p>
                      )}
                    </td>
                    <td className="px-4 py-2.5 text-zinc-600 dark:text-zinc-400">{row.issuer ?? "—"}</td>
                    <td className="px-4 py-2.5">
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
                    </td>
                    <td className="whitespace-nowrap px-4 py-2.5">
                      <ExpiryCountdown notAfter={row.notAfter} renewAfter={row.renewAfter} now={now} timeZone={displayTimeZone()} />
                    </td>
                    <td className="px-4 py-2.5 text-right">
                      <RenewButton certificateId={row.id} name={row.name} variant="secondary" size="sm" pendingLabel="Renew" disabled={Boolean(row.activeJob)} />
                    </td>
                  </tr>
                ))}
          </Table>
        )}
        {list.pageCount > 1 && (
          <nav aria-label="Pages" className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-sm dark:border-zinc-800">
            <span className="text-zinc-500 dark:text-zinc-400">
              Page {list.page} of {list.pageCount} · {list.total} certificates
            </span>
            <span className="flex gap-2">
              {list.page > 1 && <ButtonLink href={hrefFor({ page: list.page - 1 })} variant="secondary" size="sm">Previous</ButtonLink>}
              {list.page < list.pageCount && <ButtonLink href={hrefFor({ page: list.page + 1 })} variant="secondary" size="sm">Next</ButtonLink>}
            </span>
          </nav>
        )}
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
    <section aria-label="Overview" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {tiles.map((tile) => (
        <Link
          key={tile.filter}
          href={`/?filter=${tile.filter}`}
          className="rounded-lg border border-zinc-200 bg-white px-3 py-2.5 hover:border-zinc-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
        >
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{tile.label}</p>
          <p className={`mt-0.5 text-2xl font-semibold tabular-nums ${tile.tone}`}>{tile.value}</p>
        </Link>
      ))}
      {overview.nextExpiry ? (
        <Link
          href={`/certificates/${overview.nextExpiry.id}`}
          className="col-span-2 rounded-lg border border-zinc-200 bg-white px-3 py-2.5 hover:border-zinc-300 sm:col-span-1 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
          title={formatDateTime(overview.nextExpiry.notAfter, displayTimeZone())}
        >
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Next expiry</p>
          <p className="mt-0.5 truncate text-sm font-medium">{overview.nextExpiry.name}</p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{formatExpiryCountdown(overview.nextExpiry.notAfter, now)}</p>
        </Link>
      ) : (
        <div className="col-span-2 rounded-lg border border-dashed border-zinc-200 px-3 py-2.5 sm:col-span-1 dark:border-zinc-800">
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Next expiry</p>
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
          </Link>
          {" "}· {description}
        </>
      ) : (
        "nothing scheduled yet"
      )}
    </p>
  );
}

function EmptyState({ hasAccounts, isFiltered }: { hasAccounts: boolean; isFiltered: boolean }) {
  if (isFiltered) return <p className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">No certificate matches.</p>;
  return (
    <div className="space-y-3 px-4 py-12 text-center">
      <p className="text-sm font-medium">No certificates yet</p>
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        {hasAccounts ? "Add the names of a site to get its first certificate." : "Start by registering an ACME account (Let's Encrypt or another CA)."}
      </p>
      <ButtonLink href={hasAccounts ? "/certificates/new" : "/accounts"}>{hasAccounts ? "Add certificate" : "Register an account"}</ButtonLink>
    </div>
  );
}
