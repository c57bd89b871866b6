/** Shown at once while a certificate's page loads: its header, facts and job log take their places. */
export default function CertificateLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading the certificate…</span>
      <div className="mb-5 space-y-2">
        <div className="h-7 w-72 rounded-md bg-zinc-200 dark:bg-zinc-800" />
        <div className="h-4 w-48 rounded-md bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <div className="grid gap-5 lg:grid-cols-5">
        <div className="space-y-5 lg:col-span-3">
          <div className="h-72 rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" />
          <div className="h-40 rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" />
        </div>
        <div className="h-96 rounded-lg border border-zinc-200 bg-white lg:col-span-2 dark:border-zinc-800 dark:bg-zinc-900" />
      </div>
    </div>
  );
}
