import type { Metadata } from "next";
import Link from "next/link";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { ServedAsIssued } from "@/components/endpoints/served-as-issued";
import { ExpiryCountdown } from "@/components/expiry-countdown";
import { PageHeader } from "@/components/page-header";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { findRouteRecord } from "@/lib/web/route-record";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime, formatRelative } from "@/lib/core/dates";
import { endpointStatusTone } from "@/lib/domain/endpoints/endpoint-status";
import { isDnsName } from "@/lib/protocol/tls/endpoint-address";
import { getEndpointDetail, listCertificateChoices, type EndpointDetail } from "@/lib/domain/endpoints/queries";
import { CheckNowButton } from "../check-now-button";
import { EndpointForm } from "../endpoint-form";
import { RemoveEndpointDialog } from "../remove-endpoint-dialog";

export const metadata: Metadata = { title: "Endpoint" };

const TONE_CLASSES = {
  green: "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200",
  amber: "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200",
  red: "border-red-200 bg-red-50 text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-200",
  gray: "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800/50 dark:text-zinc-300",
} as const;

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const endpoint = await findRouteRecord(params, getEndpointDetail);
  const certificates = await listCertificateChoices();
  const now = new Date();
  const timeZone = displayTimeZone();
  const tone = endpointStatusTone(endpoint.status);

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="truncate">{endpoint.title}</span>
            <EndpointStatusBadge status={endpoint.status} />
          </span>
        }
        description={
          endpoint.notAfter ? (
            <ExpiryCountdown notAfter={endpoint.notAfter} renewAfter={endpoint.expiringFrom} now={now} timeZone={timeZone} />
          ) : (
            "Nothing served yet."
          )
        }
        actions={
          <>
            <CheckNowButton endpointId={endpoint.id} title={endpoint.title} certificateId={endpoint.certificate?.id} size="md" variant="primary" />
            {!endpoint.target && <RemoveEndpointDialog endpointId={endpoint.id} title={endpoint.title} />}
          </>
        }
      />

      <div role={tone === "red" ? "alert" : "status"} className={`mb-5 rounded-lg border px-4 py-3 text-sm ${TONE_CLASSES[tone]}`}>
        <p>{endpoint.message ?? "Not checked yet: the first check runs within a minute, or press Check now."}</p>
        <p className="mt-1 text-xs opacity-80">
          {endpoint.checkedAt ? (
            <>
              Checked <RelativeTime date={endpoint.checkedAt} now={now} timeZone={timeZone} />
              {" · "}
            </>
          ) : null}
          next check {formatRelative(endpoint.nextCheckAt, now)} ({formatDateTime(endpoint.nextCheckAt, timeZone)})
          {endpoint.consecutiveFailures > 0 && ` · ${endpoint.consecutiveFailures} failed ${endpoint.consecutiveFailures === 1 ? "check" : "checks in a row"}`}
        </p>
      </div>

      <div className="grid gap-5 lg:grid-cols-5">
        <div className="space-y-5 lg:col-span-3">
          <Card>
            <CardHeader
              title="Served certificate"
              description={endpoint.isUp || !endpoint.fingerprintSha256 ? "At the last check." : "At the last check that completed a handshake."}
            />
            <dl className="grid grid-cols-1 gap-x-6 gap-y-3 px-4 py-4 text-sm sm:grid-cols-[10rem_1fr]">
              <Term label="Address">
                <code className="break-all text-xs">{endpoint.address}</code>
              </Term>
              <Term label="Server name (SNI)">{endpoint.serverName ?? (isDnsName(endpoint.host) ? endpoint.host : "none (an address)")}</Term>
              {endpoint.certificate && (
                <Term label="Should serve">
                  <Link href={`/certificates/${endpoint.certificate.id}`} className="font-medium text-blue-700 underline dark:text-blue-400">
                    {endpoint.certificate.name}
                  </Link>
                  <span className="block text-xs">
                    <ServedAsIssued endpoint={endpoint} />
                  </span>
                </Term>
              )}
              {endpoint.target && <Term label="Deploy target">{endpoint.target.name}</Term>}
              <Term label="Trust">{endpoint.hasCaBundle ? "the system's roots and this endpoint's CA bundle" : "the system's roots"}</Term>
              {endpoint.fingerprintSha256 ? <ServedTerms endpoint={endpoint} /> : <Term label="Certificate">nothing served yet</Term>}
            </dl>
          </Card>
          <Card>
            <CardHeader title="Served chain" description="As the server sent it, leaf first. A root the client has already is usually left out." />
            {endpoint.chain.length === 0 ? (
              <p className="px-4 py-4 text-sm text-zinc-500 dark:text-zinc-400">No chain yet.</p>
            ) : (
              <ol className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {endpoint.chain.map((certificate, index) => (
                  <li key={certificate.fingerprintSha256} className="space-y-0.5 px-4 py-3 text-sm">
                    <p>
                      <span className="text-xs text-zinc-500 dark:text-zinc-400">
                        {index === 0 ? "Leaf" : certificate.isSelfIssued ? "Root" : "Intermediate"} ·{" "}
                      </span>
                      <span className="font-medium">{certificate.subject}</span>
                    </p>
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      issued by {certificate.issuer} · valid until {formatDateTime(certificate.notAfter, timeZone)}
                    </p>
                    <p className="break-all font-mono text-xs text-zinc-500 dark:text-zinc-400">SHA-256 {certificate.fingerprintSha256}</p>
                  </li>
                ))}
              </ol>
            )}
            {endpoint.chain.length > 0 && (
              <details className="border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
                <summary className="cursor-pointer text-sm">PEM</summary>
                <pre className="mt-2 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-950">
                  {endpoint.chain.map((certificate) => certificate.pem.trim()).join("\n")}
                </pre>
              </details>
            )}
          </Card>
        </div>
        <Card className="self-start lg:col-span-2">
          <CardHeader title="Settings" description="Saving a change to what is probed checks at once." />
          <div className="px-4 py-4">
            <EndpointForm
              endpoint={{
                id: endpoint.id,
                values: {
                  address: endpoint.address,
                  serverName: endpoint.serverName ?? "",
                  caBundlePem: endpoint.caBundlePem ?? "",
                  label: endpoint.label ?? "",
                  certificateId: endpoint.certificate?.id ?? "",
                },
                targetName: endpoint.target?.name ?? null,
              }}
              certificates={certificates}
            />
          </div>
        </Card>
      </div>
    </>
  );
}

function ServedTerms({ endpoint }: { endpoint: EndpointDetail }) {
  const timeZone = displayTimeZone();
  return (
    <>
      <Term label="Names">
        <ul>
          {endpoint.servedNames.map((name) => (
            <li key={name} className="break-all font-mono text-xs leading-5">
              {name}
            </li>
          ))}
        </ul>
      </Term>
      <Term label="Issuer">{endpoint.issuer}</Term>
      {endpoint.notBefore && endpoint.notAfter && (
        <Term label="Validity">
          <span className="text-xs">
            {formatDateTime(endpoint.notBefore, timeZone)} – {formatDateTime(endpoint.notAfter, timeZone)}
          </span>
        </Term>
      )}
      <Term label="SHA-256">
        <code className="break-all text-xs">{endpoint.fingerprintSha256}</code>
      </Term>
    </>
  );
}

function Term({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}
