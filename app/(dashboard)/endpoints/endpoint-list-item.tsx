import Link from "next/link";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { ServedAsIssued } from "@/components/endpoints/served-as-issued";
import { ExpiryCountdown } from "@/components/expiry-countdown";
import { RelativeTime } from "@/components/relative-time";
import { displayTimeZone } from "@/lib/core/env";
import type { EndpointRow } from "@/lib/domain/endpoints/queries";
import { CheckNowButton } from "./check-now-button";

/**
 * One watched endpoint in a list: title and status, the probe's sentence, then the served
 * certificate's countdown, names and issuer, "served as issued" for a managed certificate, and
 * when it was checked. Stacks on a phone; "Check now" on the right.
 */
export function EndpointListItem({ endpoint, now, showCertificate = true }: { endpoint: EndpointRow; now: Date; showCertificate?: boolean }) {
  const timeZone = displayTimeZone();
  return (
    <li className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-4 py-3" aria-label={endpoint.title}>
      <div className="min-w-0 flex-1 space-y-1">
        <p className="flex flex-wrap items-center gap-2">
          <Link href={`/endpoints/${endpoint.id}`} className="break-all font-medium hover:underline">
            {endpoint.title}
          </Link>
          <EndpointStatusBadge status={endpoint.status} />
          {endpoint.target && <span className="text-xs text-zinc-500 dark:text-zinc-400">via target {endpoint.target.name}</span>}
        </p>
        {endpoint.message && endpoint.status !== "ok" && <p className="text-sm text-zinc-700 dark:text-zinc-300">{endpoint.message}</p>}
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          {endpoint.notAfter ? (
            <ExpiryCountdown notAfter={endpoint.notAfter} renewAfter={endpoint.expiringFrom} now={now} timeZone={timeZone} />
          ) : (
            <span>nothing served yet</span>
          )}
          {endpoint.servedNames.length > 0 && (
            <span className="break-all" title="Names on the served certificate">
              {endpoint.servedNames.slice(0, 3).join(", ")}
              {endpoint.servedNames.length > 3 ? ` +${endpoint.servedNames.length - 3}` : ""}
            </span>
          )}
          {endpoint.issuer && <span>issued by {endpoint.issuer}</span>}
          {endpoint.checkedAt ? (
            <span>
              checked <RelativeTime date={endpoint.checkedAt} now={now} timeZone={timeZone} />
            </span>
          ) : (
            <span>not checked yet</span>
          )}
        </p>
        {endpoint.certificate && (
          <p className="text-xs">
            {showCertificate && (
              <>
                should serve{" "}
                <Link href={`/certificates/${endpoint.certificate.id}`} className="font-medium hover:underline">
                  {endpoint.certificate.name}
                </Link>
                :{" "}
              </>
            )}
            <ServedAsIssued endpoint={endpoint} />
          </p>
        )}
      </div>
      <CheckNowButton endpointId={endpoint.id} title={endpoint.title} certificateId={endpoint.certificate?.id} />
    </li>
  );
}
