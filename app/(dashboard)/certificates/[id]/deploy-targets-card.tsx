import Link from "next/link";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { CertificateDeployTargets, CertificateDeployTargetRow } from "@/lib/domain/deploy/targets/queries";
import type { DeploymentStatus } from "@/lib/domain/deploy/targets/deployment-status";
import { formatDateTime } from "@/lib/core/dates";
import { ChooseTargetsForm, DeployToTargetButton } from "./deploy-target-controls";

const TONES: Record<DeploymentStatus, BadgeTone> = {
  pending: "gray",
  "waiting-window": "amber",
  running: "blue",
  verified: "green",
  deployed: "green",
  installed: "green",
  failed: "red",
  "rolled-back": "red",
};

/**
 * The certificate's deploy targets and where its current version stands on each: verified (with
 * the fingerprint the target serves), waiting for the window, failed with the reason, rolled back;
 * "Deploy now" per target, and which targets it uses.
 */
export function DeployTargetsCard({
  certificateId,
  view,
  isJobActive,
  timeZone,
}: {
  certificateId: string;
  view: CertificateDeployTargets;
  isJobActive: boolean;
  timeZone: string;
}) {
  const version = view.currentVersion;
  return (
    <Card>
      <div data-testid="deploy-targets">
        <CardHeader
          title="Deploy targets"
          description={view.usesDefaults ? "The default targets (Settings → Deploy targets)." : "Chosen for this certificate."}
        />
        {view.targets.length === 0 ? (
          <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">
            No deploy target: new versions are written to live/ and the deploy hook runs.{" "}
            <Link href={SETTINGS_SECTIONS.deployTargets.href} className="text-blue-700 underline dark:text-blue-400">
              Add targets
            </Link>
            .
          </p>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {view.targets.map((target) => (
              <TargetLine
                key={target.id}
                certificateId={certificateId}
                target={target}
                version={version?.version ?? null}
                isJobActive={isJobActive}
                timeZone={timeZone}
              />
            ))}
          </ul>
        )}
        {view.available.length > 0 && (
          <details className="border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
            <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">Choose targets</summary>
            <div className="mt-3">
              <ChooseTargetsForm certificateId={certificateId} usesDefaults={view.usesDefaults} targets={view.available} />
            </div>
          </details>
        )}
      </div>
    </Card>
  );
}

function TargetLine({
  certificateId,
  target,
  version,
  isJobActive,
  timeZone,
}: {
  certificateId: string;
  target: CertificateDeployTargetRow;
  version: number | null;
  isJobActive: boolean;
  timeZone: string;
}) {
  const deployment = target.deployment;
  return (
    <li className="px-4 py-3" data-testid={`deploy-target-${target.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 text-sm">
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="font-medium">{target.name}</span>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">{target.typeLabel}</span>
            {deployment ? (
              <Badge tone={TONES[deployment.status]}>
                {deployment.status === "verified" ? "✓ " : ""}
                {deployment.label}
              </Badge>
            ) : (
              version !== null && <Badge tone="gray">not deployed yet</Badge>
            )}
          </p>
          <p className="mt-0.5 break-all font-mono text-xs text-zinc-500 dark:text-zinc-400">{target.summary}</p>
          {version !== null && <DeploymentDetails target={target} version={version} timeZone={timeZone} />}
        </div>
        {!target.isPassive && version !== null && (
          <DeployToTargetButton certificateId={certificateId} targetId={target.id} name={target.name} disabled={isJobActive} />
        )}
      </div>
    </li>
  );
}

function DeploymentDetails({ target, version, timeZone }: { target: CertificateDeployTargetRow; version: number; timeZone: string }) {
  const deployment = target.deployment;
  if (!deployment) {
    return (
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-300">
        {target.isPassive ? `Version ${version} waits for the agent to fetch it.` : `Version ${version} is not deployed here yet.`}
      </p>
    );
  }
  const when = deployment.finishedAt ? ` · ${formatDateTime(deployment.finishedAt, timeZone)}` : "";
  switch (deployment.status) {
    case "verified":
      return (
        <p className="mt-1 text-xs text-emerald-700 dark:text-emerald-400">
          Version {version} served at {target.verifyAddress}
          {when}
          <span className="block break-all font-mono text-zinc-600 dark:text-zinc-300" data-testid="served-fingerprint">
            {deployment.servedFingerprint}
          </span>
        </p>
      );
    case "deployed":
    case "installed":
      return (
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-300">
          Version {version} {deployment.status === "installed" ? "installed by the agent" : "deployed; nothing to verify against"}
          {when}
        </p>
      );
    case "waiting-window":
      return (
        <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">
          Version {version} waits for the maintenance window{deployment.nextAttemptAt ? ` (opens ${formatDateTime(deployment.nextAttemptAt, timeZone)})` : ""}.
        </p>
      );
    case "failed":
    case "rolled-back":
      return (
        <div role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          <p className="font-medium">
            {deployment.status === "rolled-back" ? `Version ${version}: deploy failed, rolled back` : `Version ${version}: deploy failed`}
          </p>
          <p className="mt-0.5 [overflow-wrap:anywhere]">{deployment.error}</p>
          {deployment.servedFingerprint && <p className="mt-0.5 break-all font-mono">served: {deployment.servedFingerprint}</p>}
        </div>
      );
    default:
      return (
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-300">
          Version {version}: {deployment.label}…
        </p>
      );
  }
}
