import type { ReactNode } from "react";

/**
 * A dense data table: a header row of column names, then body rows separated by hairlines.
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
              <th key={column.label} scope="col" className={`px-4 py-2 font-medium ${column.className ?? ""}`}>
                {column.label}
              </th>
            ))}
            {hasActions && (
              <th scope="col" className="px-4 py-2 font-medium text-right">
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
