import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Cell, Table } from "@/components/ui/table";
import { auditActionLabel, listAuditActions, listAuditEvents, parseAuditSearch, type AuditSearch } from "@/lib/domain/audit/queries";
import { requireUser } from "@/lib/web/session";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";

export const metadata: Metadata = { title: "Audit log" };

const inputClasses = "h-8 w-full min-w-0 rounded-md border border-zinc-300 bg-white px-2 text-sm sm:w-auto dark:border-zinc-700 dark:bg-zinc-900";

/** Who did what and when. Read-only: the log is appended to by actions and the scheduler only. */
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const filters = parseAuditSearch(await searchParams);
  const [list, actions] = await Promise.all([listAuditEvents({ ...filters, timeZone: displayTimeZone() }), listAuditActions()]);
  const isFiltered = Boolean(filters.action || filters.actor || filters.from || filters.to);
  const hrefFor = (changes: Partial<AuditSearch>) => {
    const next = { ...filters, page: 1, ...changes };
    const params = new URLSearchParams();
    for (const key of ["action", "actor", "from", "to"] as const) if (next[key]) params.set(key, next[key]);
    if (next.page > 1) params.set("page", String(next.page));
    const query = params.toString();
    return query ? `/audit?${query}` : "/audit";
  };

  return (
    <>
      <PageHeader title="Audit log" description={`Who did what and when, newest first. Times in ${displayTimeZone()}.`} />
      <Card>
        <form
          role="search"
          aria-label="Filter the audit log"
          action="/audit"
          className="grid grid-cols-2 items-end gap-3 border-b border-zinc-200 px-4 py-3 sm:flex sm:flex-wrap dark:border-zinc-800"
        >
          <div className="flex flex-col gap-1">
            <label htmlFor="audit-action" className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
              Action
            </label>
            <select id="audit-action" name="action" defaultValue={filters.action} className={inputClasses}>
              <option value="">All actions</option>
              {actions.map((action) => (
                <option key={action} value={action}>
                  {auditActionLabel(action)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="audit-actor" className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
              Actor
            </label>
            <input
              id="audit-actor"
              name="actor"
              type="search"
              defaultValue={filters.actor}
              placeholder="e.g. admin, system"
              maxLength={100}
              className={`${inputClasses} sm:w-44`}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="audit-from" className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
              From
            </label>
            <input id="audit-from" name="from" type="date" defaultValue={filters.from} className={inputClasses} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="audit-to" className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
              To
            </label>
            <input id="audit-to" name="to" type="date" defaultValue={filters.to} className={inputClasses} />
          </div>
          <div className="col-span-2 flex gap-2 sm:col-span-1">
            <Button type="submit" variant="secondary" size="sm" className="h-8">
              Filter
            </Button>
            {isFiltered && (
              <ButtonLink href="/audit" variant="ghost" size="sm">
                Clear
              </ButtonLink>
            )}
          </div>
        </form>

        {list.rows.length === 0 ? (
          <EmptyState>{isFiltered ? "No entry matches these filters." : "Nothing has been recorded yet."}</EmptyState>
        ) : (
          <>
            {/* Below md: one block per entry, what happened first. */}
            <ul aria-label="Audit entries" className="divide-y divide-zinc-100 md:hidden dark:divide-zinc-800">
              {list.rows.map((row) => (
                <li key={row.id} className="space-y-0.5 px-4 py-2.5 text-sm">
                  <p className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="font-medium" title={row.action}>
                      {auditActionLabel(row.action)}
                    </span>
                    <time dateTime={row.at.toISOString()} className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
                      {formatDateTime(row.at, displayTimeZone())}
                    </time>
                  </p>
                  {row.target && <p className="[overflow-wrap:anywhere]">{row.target}</p>}
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">
                    by <span className={row.actor === "system" ? "italic" : "font-medium text-zinc-700 dark:text-zinc-300"}>{row.actor}</span>
                    {row.ip && <span className="font-mono"> · {row.ip}</span>}
                  </p>
                  {row.detail.length > 0 && (
                    <p className="text-xs text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-400">
                      <AuditDetail detail={row.detail} />
                    </p>
                  )}
                </li>
              ))}
            </ul>
            <div className="hidden md:block">
              <Table columns={[{ label: "Time" }, { label: "Actor" }, { label: "Action" }, { label: "Target" }, { label: "IP" }, { label: "Details" }]}>
                {list.rows.map((row) => (
                  <tr key={row.id} className="align-top hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                    <Cell className="whitespace-nowrap tabular-nums text-zinc-600 dark:text-zinc-400">
                      <time dateTime={row.at.toISOString()}>{formatDateTime(row.at, displayTimeZone())}</time>
                    </Cell>
                    <Cell className={`whitespace-nowrap ${row.actor === "system" ? "text-zinc-500 italic dark:text-zinc-400" : "font-medium"}`}>
                      {row.actor}
                    </Cell>
                    <Cell className="min-w-40">
                      <span title={row.action}>{auditActionLabel(row.action)}</span>
                    </Cell>
                    <Cell className="max-w-36 truncate" title={row.target ?? undefined}>
                      {row.target ?? "—"}
                    </Cell>
                    <Cell className="whitespace-nowrap font-mono text-xs text-zinc-600 dark:text-zinc-400">{row.ip ?? "—"}</Cell>
                    <Cell className="min-w-48 text-xs wrap-anywhere text-zinc-600 dark:text-zinc-400">
                      {row.detail.length === 0 ? "—" : <AuditDetail detail={row.detail} />}
                    </Cell>
                  </tr>
                ))}
              </Table>
            </div>
          </>
        )}
        {list.total > 0 && (
          <Pagination
            list={list}
            totalLabel={`${list.total} ${list.total === 1 ? "entry" : "entries"}`}
            hrefForPage={(page) => hrefFor({ page })}
            previousLabel="Newer"
            nextLabel="Older"
          />
        )}
      </Card>
    </>
  );
}

/** An event's details as "key: value · key: value". */
function AuditDetail({ detail }: { detail: Array<[string, string]> }) {
  return detail.map(([key, value], index) => (
    <span key={key}>
      {index > 0 && " · "}
      <span className="text-zinc-500">{key}:</span> <span>{value}</span>
    </span>
  ));
}
