import type { Metadata } from "next";
import { SettingsListPage } from "@/components/settings-list-page";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { requireUser } from "@/lib/web/session";
import { listDeployTargets } from "@/lib/domain/deploy/targets/queries";
import { TargetRow } from "./target-row";

export const metadata: Metadata = { title: SETTINGS_SECTIONS.deployTargets.title };

export default async function DeployTargetsPage() {
  await requireUser();
  const targets = await listDeployTargets();
  return (
    <SettingsListPage
      section="deployTargets"
      addLabel="Add deploy target"
      listTitle="Targets"
      listDescription="Default targets serve every certificate that has no targets of its own; a certificate's page chooses others. Deploys keep to the maintenance window, and the deploy hook (Settings → Renewals and hooks) runs beside them as before."
      isEmpty={targets.length === 0}
      empty={
        <>
          <p>No deploy target yet: new versions are written to live/ and the deploy hook runs, as with certbot.</p>
          <p className="mt-1">Add nginx on this server (checked with nginx -t, verified, rolled back when not served), a remote host over SSH, or a command.</p>
        </>
      }
    >
      {targets.map((target) => (
        <TargetRow key={target.id} target={target} />
      ))}
    </SettingsListPage>
  );
}
