import type { ReactNode } from "react";
import { ChevronDown } from "lucide-react";

/**
 * A card whose body opens from its header (a native <details>: keyboard and screen readers work
 * without script, and the form inside keeps what was typed while closed). For settings that
 * matter less often than the facts above them.
 */
export function CollapsibleCard({
  title,
  description,
  isOpen = false,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  /** Open on first render (the user may close it; later renders leave it as the user left it). */
  isOpen?: boolean;
  children: ReactNode;
}) {
  return (
    <section className="min-w-0 rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <details open={isOpen || undefined} className="group">
        <summary className="flex cursor-pointer list-none items-start justify-between gap-3 rounded-lg px-4 py-3 hover:bg-zinc-50 group-open:rounded-b-none dark:hover:bg-zinc-800/40 [&::-webkit-details-marker]:hidden">
          <div className="min-w-0">
            <h2 className="text-sm font-semibold">{title}</h2>
            {description && <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{description}</p>}
          </div>
          <ChevronDown aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-zinc-500 transition-transform group-open:rotate-180 dark:text-zinc-400" />
        </summary>
        <div className="border-t border-zinc-200 dark:border-zinc-800">{children}</div>
      </details>
    </section>
  );
}
