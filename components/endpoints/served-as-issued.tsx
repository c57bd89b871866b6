import { CircleCheck, CircleX } from "lucide-react";

/**
 * For an endpoint that should serve a managed certificate: "served as issued ✓", or which
 * version it serves instead ✗. Nothing for endpoints without a managed certificate.
 */
export function ServedAsIssued({
  endpoint: { servedAsIssued, servedVersion, certificate },
}: {
  endpoint: { servedAsIssued: boolean | null; servedVersion: number | null; certificate: { currentVersion: number | null } | null };
}) {
  if (!certificate) return null;
  const { currentVersion } = certificate;
  if (currentVersion === null) return <span className="text-zinc-500 dark:text-zinc-400">not issued yet</span>;
  if (servedAsIssued === null) return <span className="text-zinc-500 dark:text-zinc-400">nothing served yet</span>;
  if (servedAsIssued) {
    return (
      <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-400">
        served as issued (version {currentVersion})
        <CircleCheck aria-label="yes" className="h-3.5 w-3.5" />
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1 font-medium text-red-600 dark:text-red-400">
      {servedVersion !== null
        ? `serves version ${servedVersion}, not ${currentVersion}`
        : `serves a certificate CertDeck did not issue, not version ${currentVersion}`}
      <CircleX aria-label="no" className="h-3.5 w-3.5" />
    </span>
  );
}
