import type { Metadata } from "next";
import path from "node:path";
import { Download, FlaskConical, Upload } from "lucide-react";
import { CertificateStatusBadge } from "@/components/certificate-status-badge";
import { ExpiryCountdown } from "@/components/expiry-countdown";
import { JobTimeline } from "@/components/job-timeline";
import { PageHeader } from "@/components/page-header";
import { SubmitButton } from "@/components/submit-button";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireUser } from "@/lib/web/session";
import { findRouteRecord } from "@/lib/web/route-record";
import { KEY_TYPES, type KeyType } from "@/lib/protocol/x509/key-types";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { lifetimeUsed } from "@/lib/domain/renewal/expiry";
import { getCertificateDetail, type CertificateDetail } from "@/lib/domain/certificates/queries";
import { certificatesDir, displayTimeZone } from "@/lib/core/env";
import { formatDate, formatDateTime } from "@/lib/core/dates";
import { isJobActive, JOB_TYPE_LABELS, type JobType } from "@/lib/domain/jobs/vocabulary";
import { CHALLENGE_METHODS, type ChallengeMethod } from "@/lib/domain/certificates/certificate.validation";
import { identifierLabel } from "@/lib/protocol/names/names";
import { describeNextRenewal } from "@/lib/domain/renewal/describe-renewal";
import { failureLabel } from "@/lib/domain/certificates/failure-labels";
import { UPLOADED_RENEWAL_TEXT } from "@/lib/domain/certificates/certificate-source";
import { getCertificateDeployTargets } from "@/lib/domain/deploy/targets/queries";
import { deployNowAction, testRenewalAction } from "../actions";
import { RenewButton } from "../renew-button";
import { getRenewalSettingsFormValues } from "@/lib/domain/deploy/effective-settings";
import { RenewalSettingsForm } from "./renewal-settings-form";
import { DeleteCertificateDialog } from "./delete-certificate-dialog";
import { RevokeCertificateDialog } from "./revoke-certificate-dialog";
import { PreflightPanel } from "./preflight-panel";
import { getChallengeSettings } from "@/lib/domain/certificates/challenge-settings";
import { ChallengeSettingsCard, ChallengeSummary } from "./challenge-settings-card";
import { ManualDnsWaiting } from "./manual-dns-waiting";
import { PfxDownload, PrivateKeyDownload } from "./private-key-download";
import { PullersCard } from "./pullers-card";
import { DeployTargetsCard } from "./deploy-targets-card";
import { CertificateEndpointsCard } from "../../endpoints/certificate-endpoints-card";
import { FACT_LIST } from "@/components/ui/fact-list";

export const metadata: Metadata = { title: "Certificate" };

export default async function CertificatePage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const certificate = await findRouteRecord(params, getCertificateDetail);
  const now = new Date();
  const current = certificate.versions.find((version) => version.id === certificate.currentVersionId) ?? null;
  const activeJob = certificate.jobs.find((job) => isJobActive(job.status));
  const liveDirectory = path.join(certificatesDir(), "live", lineageDirectoryName(certificate.name));
  const [latestJob, ...olderJobs] = certificate.jobs;
  const renewalSettings = await getRenewalSettingsFormValues(certificate.id, displayTimeZone());
  const challengeSettings = await getChallengeSettings(certificate.id);
  const deployTargets = await getCertificateDeployTargets(certificate.id);
  // Issued elsewhere: never renewed, tested, revoked or validated here; a newer one is uploaded.
  const isUploaded = certificate.source === "upload";

  return (
    <>
      {/* The active job's timeline (components/live-job-steps.tsx) follows it live and renders the page again when it ends. */}
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {certificate.name}
            <CertificateStatusBadge
              status={certificate.status}
              notAfter={certificate.notAfter}
              renewAfter={certificate.renewAfter}
              activeJobType={activeJob?.type}
              activeJobStatus={activeJob?.status}
              deployStatus={current?.deployStatus}
              isRevoked={Boolean(current?.revokedAt)}
              now={now}
            />
          </span>
        }
        description={<ExpiryCountdown notAfter={certificate.notAfter} renewAfter={certificate.renewAfter} now={now} timeZone={displayTimeZone()} />}
        actions={
          <>
            {isUploaded ? (
              <ButtonLink href={`/certificates/${certificate.id}/upload`} icon={Upload}>
                Upload a newer version
              </ButtonLink>
            ) : (
              <RenewButton certificateId={certificate.id} name={certificate.name} hasCurrentVersion={Boolean(current)} isBusy={Boolean(activeJob)} />
            )}
            {current && !isUploaded && (
              <form action={testRenewalAction}>
                <input type="hidden" name="certificateId" value={certificate.id} />
                <SubmitButton variant="secondary" disabled={Boolean(activeJob)} pendingLabel="Queuing…" icon={FlaskConical}>
                  Test renewal
                </SubmitButton>
              </form>
            )}
          </>
        }
      />

      {activeJob?.status === "waiting" && <ManualDnsWaiting certificateId={certificate.id} jobId={activeJob.id} hasCurrentVersion={Boolean(current)} />}

      {current && current.deployStatus !== "deployed" && !activeJob && <DeployStatusNotice certificateId={certificate.id} version={current} />}

      {certificate.lastError && !activeJob && (
        <div
          role="alert"
          className="mb-5 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-200"
        >
          <p className="font-medium">
            {failureLabel(certificate.lastErrorCode) ?? "The last attempt failed"}
            {certificate.lastErrorAt ? ` · ${formatDateTime(certificate.lastErrorAt, displayTimeZone())}` : ""}
          </p>
          <p className="mt-1">{certificate.lastError}</p>
        </div>
      )}

      {/* Facts, then the job log, then versions and the pre-flight check on a phone; on a wide
          screen the log is the right-hand column beside them. */}
      <div className="grid items-start gap-5 lg:grid-cols-5 lg:grid-rows-[auto_auto_auto_auto_auto_1fr]">
        <Card className="min-w-0 lg:col-span-3">
          <CardHeader title="Certificate" />
          <dl className={`${FACT_LIST} py-4`}>
            <Term label="Names">
              <ul>
                {certificate.identifiers.map((identifier) => (
                  <li key={identifier.value} className="font-mono text-xs leading-5">
                    {identifierLabel(identifier)}
                  </li>
                ))}
              </ul>
            </Term>
            {current ? <CurrentVersionTerms current={current} now={now} /> : <Term label="Version">not issued yet</Term>}
            <Term label="Next renewal">
              {isUploaded ? UPLOADED_RENEWAL_TEXT : (describeNextRenewal(certificate, now, displayTimeZone()) ?? "after the first issuance")}
              {certificate.ariExplanationUrl && !isUploaded && (
                <a href={certificate.ariExplanationUrl} target="_blank" rel="noreferrer" className="ml-2 text-blue-700 underline dark:text-blue-400">
                  why (from the CA)
                </a>
              )}
            </Term>
            <Term label="Key type">{KEY_TYPES[certificate.keyType as KeyType]?.label ?? certificate.keyType}</Term>
            {!isUploaded && (
              <Term label="Challenge">
                {challengeSettings ? (
                  <ChallengeSummary settings={challengeSettings} />
                ) : (
                  (CHALLENGE_METHODS[certificate.challengeMethod as ChallengeMethod] ?? certificate.challengeMethod)
                )}
              </Term>
            )}
            {challengeSettings?.reuseKey && <Term label="Key on renewal">kept (the same private key every time)</Term>}
            {certificate.profile && <Term label="Profile">{certificate.profile}</Term>}
            {isUploaded ? <Term label="Source">Uploaded</Term> : certificate.account && <Term label="ACME account">{certificate.account.label}</Term>}
            {certificate.importedFrom && (
              <Term label="Imported from">
                certbot, <code className="text-xs">{certificate.importedFrom}</code>
              </Term>
            )}
            <Term label="Files">
              <code className="break-all text-xs">{liveDirectory}/</code>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">cert.pem, chain.pem, fullchain.pem, privkey.pem (mode 0600)</span>
              {current && (
                <div className="mt-2 flex flex-wrap gap-2">
                  <ButtonLink href={`/api/certificates/${certificate.id}/fullchain`} variant="secondary" size="sm" prefetch={false} download icon={Download}>
                    fullchain.pem
                  </ButtonLink>
                  <PrivateKeyDownload certificateId={certificate.id} size="sm" />
                  <PfxDownload certificateId={certificate.id} size="sm" />
                </div>
              )}
            </Term>
          </dl>
        </Card>

        <Card className="min-w-0 lg:col-span-2 lg:col-start-4 lg:row-span-6 lg:row-start-1">
          <CardHeader title="Job log" description={activeJob ? "Live: steps appear as they happen." : "The latest jobs for this certificate."} />
          <div className="space-y-4 px-4 py-4">
            {latestJob ? <JobTimeline job={latestJob} timeZone={displayTimeZone()} /> : <p className="text-sm text-zinc-500">No job yet.</p>}
            {olderJobs.map((job) => (
              <details key={job.id} className="border-t border-zinc-100 pt-3 dark:border-zinc-800">
                <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
                  {JOB_TYPE_LABELS[job.type as JobType] ?? job.type} · {job.status} · {formatDateTime(job.createdAt, displayTimeZone())}
                </summary>
                <div className="mt-2">
                  <JobTimeline job={job} timeZone={displayTimeZone()} />
                </div>
              </details>
            ))}
          </div>
        </Card>

        {/* A certificate never issued has no history: its facts say "not issued yet". */}
        {certificate.versions.length > 0 && (
          <Card className="min-w-0 lg:col-span-3">
            <CardHeader title="Version history" description="Every version stays in archive/; live/ points at the newest." />
            <Table columns={[{ label: "Version" }, { label: "Serial" }, { label: "Valid from", className: "hidden sm:table-cell" }, { label: "Expires" }]}>
              {certificate.versions.map((version) => (
                <tr key={version.id}>
                  <Cell>
                    {version.version}
                    {version.revokedAt && <span className="ml-1.5 text-xs text-red-600 dark:text-red-400">revoked ({version.revocationReason})</span>}
                    {version.id === certificate.currentVersionId && <span className="ml-1.5 text-xs text-emerald-600 dark:text-emerald-400">current</span>}
                  </Cell>
                  <Cell className="max-w-28 truncate font-mono text-xs sm:max-w-48" title={version.serial}>
                    {version.serial}
                  </Cell>
                  <Cell className="hidden whitespace-nowrap text-xs sm:table-cell" title={formatDateTime(version.notBefore, displayTimeZone())}>
                    {formatDate(version.notBefore, displayTimeZone())}
                  </Cell>
                  <Cell className="whitespace-nowrap text-xs" title={formatDateTime(version.notAfter, displayTimeZone())}>
                    {formatDate(version.notAfter, displayTimeZone())}
                  </Cell>
                </tr>
              ))}
            </Table>
          </Card>
        )}

        {deployTargets && (
          <div className="min-w-0 lg:col-span-3">
            <DeployTargetsCard certificateId={certificate.id} view={deployTargets} isJobActive={Boolean(activeJob)} timeZone={displayTimeZone()} />
          </div>
        )}

        <div className="min-w-0 lg:col-span-3">
          <CertificateEndpointsCard certificateId={certificate.id} />
        </div>

        {!isUploaded && (
          <div className="min-w-0 lg:col-span-3">
            <PreflightPanel certificateId={certificate.id} lastPreflight={certificate.lastPreflight} timeZone={displayTimeZone()} />
          </div>
        )}
      </div>

      {/* A plain div: each card inside is its own <section>. */}
      <div className="mt-8 space-y-3">
        <div>
          <h2 id="certificate-settings" className="text-base font-semibold">
            Settings
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            How the next order proves control of the names, when it renews and what runs after, and who fetches it.
          </p>
        </div>
        {challengeSettings && !isUploaded && <ChallengeSettingsCard settings={challengeSettings} isLocked={Boolean(activeJob)} />}
        {renewalSettings && <RenewalSettingsForm {...renewalSettings} isUploaded={isUploaded} />}
        <PullersCard certificateId={certificate.id} />
      </div>

      <DangerZone
        certificateId={certificate.id}
        name={certificate.name}
        liveDirectory={liveDirectory}
        revocable={current && !current.revokedAt && !isUploaded ? { version: current.version } : null}
      />
    </>
  );
}

const DEPLOY_NOTICES = {
  pending: { tone: "amber", title: "issued, deploying", body: "The deploy step has not finished yet." },
  "waiting-window": {
    tone: "amber",
    title: "issued, waiting for deploy window",
    body: "The deploy hook runs when the maintenance window opens (or earlier if the certificate in service would expire first).",
  },
  "deploy-failed": { tone: "red", title: "issued, not deployed", body: "The deploy hook failed, so services may still use the previous certificate." },
} as const;

function DeployStatusNotice({ certificateId, version }: { certificateId: string; version: CertificateDetail["versions"][number] }) {
  const notice = DEPLOY_NOTICES[version.deployStatus as keyof typeof DEPLOY_NOTICES];
  if (!notice) return null;
  const colours =
    notice.tone === "red"
      ? "border-red-200 bg-red-50 text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-200"
      : "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200";
  return (
    <div
      role={notice.tone === "red" ? "alert" : "status"}
      className={`mb-5 flex flex-wrap items-start justify-between gap-3 rounded-lg border px-4 py-3 text-sm ${colours}`}
    >
      <div>
        <p className="font-medium">
          Version {version.version}: {notice.title}
        </p>
        <p className="mt-1">{version.deployError ?? notice.body}</p>
      </div>
      <form action={deployNowAction}>
        <input type="hidden" name="certificateId" value={certificateId} />
        <SubmitButton variant="secondary" size="sm" pendingLabel="Queuing…">
          Deploy now
        </SubmitButton>
      </form>
    </div>
  );
}

/** Revoke and delete: apart from everything else, at the end of the page. */
function DangerZone({
  certificateId,
  name,
  liveDirectory,
  revocable,
}: {
  certificateId: string;
  name: string;
  liveDirectory: string;
  /** The current version, when it is issued and not revoked. */
  revocable: { version: number } | null;
}) {
  return (
    <section aria-labelledby="danger-zone" className="mt-8 rounded-lg border border-red-200 bg-white shadow-xs dark:border-red-500/30 dark:bg-zinc-900">
      <h2 id="danger-zone" className="border-b border-red-200 px-4 py-3 text-sm font-semibold text-red-700 dark:border-red-500/30 dark:text-red-300">
        Danger zone
      </h2>
      <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {revocable && (
          <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
            <div className="min-w-0 flex-1 basis-52 text-sm">
              <p className="font-medium">Revoke version {revocable.version}</p>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">At the CA, for a compromised key or names you no longer use. Cannot be undone.</p>
            </div>
            <RevokeCertificateDialog certificateId={certificateId} name={name} version={revocable.version} />
          </div>
        )}
        <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="min-w-0 flex-1 basis-52 text-sm">
            <p className="font-medium">Delete this certificate</p>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Stops its renewals; its files move to deleted/.</p>
          </div>
          <DeleteCertificateDialog certificateId={certificateId} name={name} liveDirectory={liveDirectory} canRevoke={Boolean(revocable)} />
        </div>
      </div>
    </section>
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

function CurrentVersionTerms({ current, now }: { current: CertificateDetail["versions"][number]; now: Date }) {
  const used = lifetimeUsed(now, current.notBefore, current.notAfter);
  return (
    <>
      <Term label="Validity">
        <div className="flex justify-between gap-2 text-xs">
          <span>{formatDateTime(current.notBefore, displayTimeZone())}</span>
          <span>{formatDateTime(current.notAfter, displayTimeZone())}</span>
        </div>
        <div
          role="progressbar"
          aria-label="Share of the validity period used"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(used * 100)}
          className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <div className={`h-full ${used > 2 / 3 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${used * 100}%` }} />
        </div>
      </Term>
      <Term label="Serial">
        <code className="break-all text-xs">{current.serial}</code>
      </Term>
      <Term label="SHA-256">
        <code className="break-all text-xs">{current.fingerprintSha256}</code>
      </Term>
      <Term label="Issuer">{current.issuer}</Term>
      <Term label="Version">{current.version}</Term>
    </>
  );
}
