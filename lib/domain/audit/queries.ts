import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/data/client";
import { readListPage, type ListPage } from "@/lib/core/paging";

export const AUDIT_PAGE_SIZE = 50;

export { auditActionLabel } from "@/lib/domain/audit/audit-actions";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((text) => !Number.isNaN(Date.parse(text)))
  .catch("");

/** The audit page's query string: anything malformed is dropped (an unfiltered, first page), never an error. */
const auditSearchSchema = z.object({
  action: z
    .string()
    .regex(/^[a-z0-9.-]{1,64}$/)
    .catch(""),
  actor: z.string().trim().max(100).catch(""),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export type AuditSearch = z.output<typeof auditSearchSchema>;

/** The filters and page of the audit page's URL ("?action=certificate.add&page=2"). */
export function parseAuditSearch(searchParams: Record<string, string | string[] | undefined>): AuditSearch {
  return auditSearchSchema.parse({ action: "", actor: "", from: "", to: "", page: 1, ...searchParams });
}

export interface AuditFilters {
  /** Exact action, or "" for all. */
  action: string;
  /** Part of the actor's name (case-insensitive for ASCII), or "" for all. */
  actor: string;
  /** Calendar days "YYYY-MM-DD" in `timeZone`, inclusive; "" for open-ended. */
  from: string;
  to: string;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  detail: Array<[string, string]>;
  ip: string | null;
}

/** The log, newest first, 50 per page. A page past the end shows the last page. */
export async function listAuditEvents(options: AuditFilters & { page: number; timeZone: string }): Promise<ListPage<AuditRow>> {
  const where = auditWhere(options, options.timeZone);
  return readListPage({
    requestedPage: options.page,
    pageSize: AUDIT_PAGE_SIZE,
    count: () => db.auditEvent.count({ where }),
    read: async (window) => {
      const events = await db.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], ...window });
      return events.map((event) => ({ ...event, detail: parseDetail(event.detail) }));
    },
  });
}

/** The actions that can be filtered on: every one found in the log (read-only commands such as a preflight check never are). */
export async function listAuditActions(): Promise<string[]> {
  const stored = await db.auditEvent.findMany({ distinct: ["action"], select: { action: true } });
  return stored.map((row) => row.action).sort();
}

function auditWhere(filters: AuditFilters, timeZone: string): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = {};
  if (filters.action) where.action = filters.action;
  if (filters.actor) where.actor = { contains: filters.actor };
  const at: Prisma.DateTimeFilter = {};
  if (filters.from) at.gte = startOfDayInZone(filters.from, timeZone, 0);
  if (filters.to) at.lt = startOfDayInZone(filters.to, timeZone, 1);
  if (at.gte || at.lt) where.at = at;
  return where;
}

/** Midnight at the start of `day` (+ `addDays`) in `timeZone`, as an instant. */
export function startOfDayInZone(day: string, timeZone: string, addDays: number): Date {
  const [year, month, date] = day.split("-").map(Number);
  const wallClock = Date.UTC(year, month - 1, date + addDays);
  // Two passes settle the offset on days when it changes (DST).
  let instant = wallClock - zoneOffsetMs(new Date(wallClock), timeZone);
  instant = wallClock - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The stored JSON as short "key: value" pairs for display; anything unreadable is shown raw. */
function parseDetail(json: string | null): Array<[string, string]> {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return [["detail", json]];
    return Object.entries(value).map(([key, entry]) => [key, formatDetailValue(entry)]);
  } catch {
    return [["detail", json]];
  }
}

function formatDetailValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatDetailValue).join(", ");
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
