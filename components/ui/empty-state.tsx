import type { ReactNode } from "react";

/**
 * What a list's card shows while the list is empty (nothing added yet, or nothing matches the
 * filters): a sentence or two, centred, in place of the rows.
 */
export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">{children}</div>;
}
