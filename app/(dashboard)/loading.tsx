/** Shown at once while a dashboard page loads (the navigation stays usable). */
export default function DashboardLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-5">
      <span className="sr-only">Loading…</span>
      <div className="h-7 w-56 rounded-md bg-zinc-200 dark:bg-zinc-800" />
      <div className="grid gap-3 sm:grid-cols-3">
        {[0, 1, 2].map((tile) => (
          <div key={tile} className="h-20 rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" />
        ))}
      </div>
      <div className="h-64 rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" />
    </div>
  );
}
