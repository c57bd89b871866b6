import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/data/client";
import { CERTIFICATE_RESOURCE_SELECT, toCertificateResource } from "@/lib/web/api/resources";
import type { certificateListSchema, listCertificatesQuerySchema } from "@/lib/web/api/schemas";

const DAY_MS = 24 * 3600 * 1000;

/**
 * One page of certificates for GET /api/v1/certificates. Filtering, counting and paging happen in
 * SQL (indexed status and notAfter columns), so the cost does not grow with the fleet beyond the
 * count. Sorted as the dashboard's list: by expiry, never-issued first, then by name.
 */
export async function listCertificateResources(
  query: z.output<typeof listCertificatesQuerySchema>,
  now = new Date(),
): Promise<z.output<typeof certificateListSchema>> {
  const where: Prisma.CertificateWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.expiringWithinDays !== undefined ? { notAfter: { not: null, lte: new Date(now.getTime() + query.expiringWithinDays * DAY_MS) } } : {}),
  };
  const total = await db.certificate.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const rows = await db.certificate.findMany({
    where,
    orderBy: [{ notAfter: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize,
    select: CERTIFICATE_RESOURCE_SELECT,
  });
  return { certificates: rows.map(toCertificateResource), page: query.page, pageSize: query.pageSize, pageCount, total };
}
