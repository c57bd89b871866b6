import type { ReactNode } from "react";

/**
 * A page's title, one line of description and its actions. The actions wrap under the title
 * on narrow screens; the title wraps (long certificate names break anywhere) instead of being cut.
 */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-end justify-between gap-x-3 gap-y-3">
      <div className="min-w-0 max-w-full">
        <h1 className="text-xl font-semibold tracking-tight [overflow-wrap:anywhere]">{title}</h1>
        {description && <div className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</div>}
      </div>
      {actions && <div className="flex max-w-full flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}
