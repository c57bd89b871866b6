import { ButtonLink } from "@/components/ui/button";
import type { ListPage } from "@/lib/core/paging";

/**
 * The "Pages" bar under a paged list: "Page 2 of 5 · {totalLabel}" and the links to the page
 * before and after, "Previous" and "Next" unless the list names them ("Newer"/"Older").
 */
export function Pagination({
  list: { page, pageCount },
  totalLabel,
  hrefForPage,
  previousLabel = "Previous",
  nextLabel = "Next",
}: {
  /** The page of the list shown (a domain query's ListPage). */
  list: Pick<ListPage<unknown>, "page" | "pageCount">;
  /** How many in all, with its noun: "12 certificates". */
  totalLabel: string;
  hrefForPage: (page: number) => string;
  previousLabel?: string;
  nextLabel?: string;
}) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-sm dark:border-zinc-800">
      <span className="text-zinc-500 dark:text-zinc-400">
        Page {page} of {pageCount} · {totalLabel}
      </span>
      <span className="flex gap-2">
        {page > 1 && (
          <ButtonLink href={hrefForPage(page - 1)} variant="secondary" size="sm">
            {previousLabel}
          </ButtonLink>
        )}
        {page < pageCount && (
          <ButtonLink href={hrefForPage(page + 1)} variant="secondary" size="sm">
            {nextLabel}
          </ButtonLink>
        )}
      </span>
    </nav>
  );
}
