import { KeyRound, Pencil } from "lucide-react";
import { DeleteDialog } from "@/components/delete-dialog";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import type { DeployTargetListRow } from "@/lib/domain/deploy/targets/queries";
import { DEPLOYMENT_STATUS_LABELS, type DeploymentStatus } from "@/lib/domain/deploy/targets/deployment-status";
import { deleteDeployTargetAction } from "./actions";
import { TargetTestPanel } from "./target-test-panel";

const STATUS_ORDER: DeploymentStatus[] = ["verified", "deployed", "installed", "running", "pending", "waiting-window", "failed", "rolled-back"];

/** "3 verified · 1 failed": how the certificates' current versions stand on this target. */
function statusLine(counts: DeployTargetListRow["statusCounts"]): string {
  const parts = STATUS_ORDER.filter((status) => counts[status]).map((status) => `${counts[status]} ${DEPLOYMENT_STATUS_LABELS[status]}`);
  return parts.length === 0 ? "nothing deployed here yet" : parts.join(" · ");
}

/** One target in the list: what it is, how its deployments stand, Test, Edit, Delete. */
export function TargetRow({ target }: { target: DeployTargetListRow }) {
  const hasFailures = Boolean(target.statusCounts.failed || target.statusCounts["rolled-back"]);
  return (
    <li className="px-4 py-3" data-testid={`target-${target.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1 text-sm">
            <span className="font-medium">{target.name}</span>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">{target.typeLabel}</span>
            {target.isDefault && <Badge tone="blue">Default</Badge>}
          </p>
          <p className="mt-0.5 break-all font-mono text-xs text-zinc-600 dark:text-zinc-300">{target.summary}</p>
          {target.type === "ssh" && (
            <p className="mt-0.5 flex items-start gap-1 text-xs text-zinc-500 dark:text-zinc-400">
              <KeyRound aria-hidden className="mt-px h-3 w-3 shrink-0" />
              <span className="break-all">
                {target.hostKey ? `host key ${target.hostKey.typeLabel} ${target.hostKey.fingerprint}` : "host key not pinned yet: Test pins it"}
              </span>
            </p>
          )}
          <p className={`mt-0.5 text-xs ${hasFailures ? "text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400"}`}>
            {statusLine(target.statusCounts)}
            {target.assignedTo > 0 && ` · chosen by ${target.assignedTo === 1 ? "1 certificate" : `${target.assignedTo} certificates`}`}
          </p>
        </div>
        {!target.isPassive && (
          <div className="flex shrink-0 items-start gap-1.5">
            <ButtonLink href={`${SETTINGS_SECTIONS.deployTargets.href}/${target.id}`} variant="secondary" size="sm" icon={Pencil}>
              <span className="sr-only">Edit {target.name}</span>
              <span aria-hidden>Edit</span>
            </ButtonLink>
            <DeleteDialog name={target.name} confirmLabel="Delete target" action={deleteDeployTargetAction} fields={{ targetId: target.id }} isIconOnly>
              CertDeck forgets its settings, its key and its deploy history. Nothing is removed from the host.
              {target.assignedTo > 0 &&
                ` ${target.assignedTo === 1 ? "The certificate that chose it deploys" : `The ${target.assignedTo} certificates that chose it deploy`} to their other targets (or the default targets) from then on.`}
            </DeleteDialog>
          </div>
        )}
      </div>
      {!target.isPassive && (
        <div className="mt-2">
          <TargetTestPanel targetId={target.id} name={target.name} />
        </div>
      )}
    </li>
  );
}
