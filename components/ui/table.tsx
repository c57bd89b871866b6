import type { ReactNode, TdHTMLAttributes } from "react";

/** Every cell's padding, header and body alike, so the columns line up and every table has one density. */
const CELL_PADDING = "px-4 py-2";

/**
 * A dense data table: a header row of column names, then body rows (of Cells) separated by hairlines.
 * `hasActions`: each row ends with a cell of buttons for it, under an "Actions" header that
 * only screen readers hear.
 */
export function Table({
  columns,
  hasActions = false,
  children,
}: {
  columns: Array<{ label: string; className?: string }>;
  hasActions?: boolean;
  children: ReactNode;
}) {
  return (
    // relative: the sr-only column labels are positioned absolutely, and would otherwise stick out of
    // the scrolled box and widen the page (a phone then scrolls sideways).
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`${CELL_PADDING} font-medium ${column.className ?? ""}`}>
                {column.label}
              </th>
            ))}
            {hasActions && (
              <th scope="col" className={`${CELL_PADDING} font-medium text-right`}>
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}

/** A body cell of a Table, padded like its header; `className` adds the rest (whitespace-nowrap, text-right, a width). */
export function Cell({ className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`${CELL_PADDING} ${className}`} {...props} />;
}
