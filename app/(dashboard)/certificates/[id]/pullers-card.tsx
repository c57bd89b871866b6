import { RelativeTime } from "@/components/relative-time";
import { RevokeAccessDialog } from "@/components/revoke-access-dialog";
import { Badge } from "@/components/ui/badge";
import { CollapsibleCard } from "@/components/ui/collapsible-card";
import { Cell, Table } from "@/components/ui/table";
import { displayTimeZone } from "@/lib/core/env";
import { formatRelative } from "@/lib/core/dates";
import { PULL_SCOPES } from "@/lib/domain/deploy/pull/pull-protocol";
import { listPullers, type PullerRow } from "@/lib/domain/deploy/pull/queries";
import { AddPullerForm } from "./add-puller-form";
import { revokePullerAction } from "./puller-actions";

/**
 * The certificate's pull agents: machines that fetch the certificate themselves
 * (agent/certdeck-pull), with their last fetch and the version each reported installed. Reads
 * its own data, so the page inserts it with one line.
 */
export async function PullersCard({ certificateId }: { certificateId: string }) {
  const { currentVersion, pullers } = await listPullers(certificateId);
  const now = new Date();
  const scopes = Object.entries(PULL_SCOPES).map(([id, scope]) => ({ id, label: scope.label, description: scope.description }));
  return (
    <CollapsibleCard
      title="Pull agents"
      description={
        pullers.length === 0
          ? "None yet"
          : `${pullers.length === 1 ? "1 machine" : `${pullers.length} machines`}: ${pullers.map((puller) => puller.name).join(", ")}`
      }
    >
      <p className="px-4 pt-3 text-xs text-zinc-500 dark:text-zinc-400">
        Machines that fetch this certificate themselves: a small shell agent asks every 15 minutes (a 304 when nothing is new), installs, reloads and reports
        back.
      </p>
      {pullers.length === 0 ? (
        <p className="px-4 py-4 text-sm text-zinc-500 dark:text-zinc-400">No puller yet.</p>
      ) : (
        <Table columns={[{ label: "Machine" }, { label: "Last fetch" }, { label: "Installed" }]} hasActions>
          {pullers.map((puller) => (
            <tr key={puller.id} className="align-top">
              <Cell>
                <span className="font-medium">{puller.name}</span>
                <span className="mt-0.5 block">
                  <Badge tone={puller.scope === "certificate-and-key" ? "amber" : "blue"}>
                    {puller.scope ? PULL_SCOPES[puller.scope].label : "broken configuration"}
                  </Badge>
                </span>
                {puller.tokenPrefix && (
                  <span className="block whitespace-nowrap font-mono text-xs text-zinc-500 dark:text-zinc-400">{puller.tokenPrefix}…</span>
                )}
              </Cell>
              <Cell className="whitespace-nowrap text-xs">
                {puller.lastSeenAt ? (
                  <>
                    <RelativeTime date={puller.lastSeenAt} now={now} timeZone={displayTimeZone()} />
                    {puller.lastSeenAddress && <span className="block font-mono text-zinc-500 dark:text-zinc-400">{puller.lastSeenAddress}</span>}
                  </>
                ) : (
                  <span className="text-zinc-500 dark:text-zinc-400">never</span>
                )}
              </Cell>
              <Cell className="text-xs">
                <InstalledVersion puller={puller} currentVersion={currentVersion} now={now} />
              </Cell>
              <Cell className="text-right">
                <RevokeAccessDialog
                  kind="puller"
                  name={puller.name}
                  triggerLabel={`Revoke the puller ${puller.name}`}
                  action={revokePullerAction}
                  fields={{ pullerId: puller.id }}
                >
                  Its agent gets 401 from its next run on; the files it installed stay on the machine. This cannot be undone: add a new puller to give access
                  again.
                </RevokeAccessDialog>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <details className="border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <summary className="cursor-pointer text-sm font-medium">Add a puller</summary>
        <div className="mt-3">
          <AddPullerForm certificateId={certificateId} scopes={scopes} />
        </div>
      </details>
    </CollapsibleCard>
  );
}

function InstalledVersion({ puller, currentVersion, now }: { puller: PullerRow; currentVersion: number | null; now: Date }) {
  const failed = puller.lastReport?.status === "failed" ? puller.lastReport : null;
  return (
    <div className="space-y-1">
      {puller.installedVersion !== null ? (
        <p>
          Version {puller.installedVersion}
          {puller.installedAt && (
            <RelativeTime date={puller.installedAt} now={now} timeZone={displayTimeZone()} className="ml-1 text-zinc-500 dark:text-zinc-400" />
          )}
        </p>
      ) : (
        <p className="text-zinc-500 dark:text-zinc-400">nothing reported yet</p>
      )}
      {puller.isBehind && currentVersion !== null && (
        <Badge tone="amber">{puller.installedVersion === null ? `version ${currentVersion} not installed yet` : `behind: current is ${currentVersion}`}</Badge>
      )}
      {failed && (
        <p role="alert" className="text-red-700 dark:text-red-300" title={failed.error ?? undefined}>
          Version {failed.version} failed{failed.finishedAt ? ` ${formatRelative(failed.finishedAt, now)}` : ""}:{" "}
          <span className="line-clamp-2 whitespace-pre-wrap break-words font-mono">{failed.error}</span>
        </p>
      )}
    </div>
  );
}
