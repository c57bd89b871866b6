/** How many pages `total` rows fill, `pageSize` a page; an empty list still has its one (empty) page. */
export function pageCountOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * The rows of the requested page of a list the dashboard shows: a page before the first shows the
 * first, one past the end shows the last. `skip` and `take` go to the query.
 */
export function pageWithin(total: number, requestedPage: number, pageSize: number): { page: number; pageCount: number; skip: number; take: number } {
  const pageCount = pageCountOf(total, pageSize);
  const page = Math.min(Math.max(1, requestedPage), pageCount);
  return { page, pageCount, skip: (page - 1) * pageSize, take: pageSize };
}
