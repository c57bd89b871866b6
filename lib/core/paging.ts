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

/** One page of a list the dashboard shows, with what its pagination needs. */
export interface ListPage<Row> {
  rows: Row[];
  total: number;
  page: number;
  pageCount: number;
}

/**
 * The requested page of a list (pageWithin): `count` counts the list's rows, `read` reads the
 * page's rows with the query's `skip` and `take`.
 */
export async function readListPage<Row>(list: {
  requestedPage: number;
  pageSize: number;
  count: () => Promise<number>;
  read: (window: { skip: number; take: number }) => Promise<Row[]>;
}): Promise<ListPage<Row>> {
  const total = await list.count();
  const { page, pageCount, skip, take } = pageWithin(total, list.requestedPage, list.pageSize);
  return { rows: await list.read({ skip, take }), total, page, pageCount };
}
