import type { Metadata } from "next";
import { Plus } from "lucide-react";
import { PageHeader } from "@/components/page-header";
import { SettingsBackLink } from "@/components/settings-back-link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { listDeployTargets } from "@/lib/domain/deploy/targets/queries";
import { TargetRow } from "./target-row";

export const metadata: Metadata = { title: "Deploy targets" };

export default async function DeployTargetsPage() {
  await requireUser();
  const targets = await listDeployTargets();
  return (
    <>
      <PageHeader
        title="Deploy targets"
        description="Where new certificate versions go after they are issued, and where CertDeck checks that they are served."
        actions={
          <>
            <SettingsBackLink />
            <ButtonLink href="/settings/deploy-targets/new">
              <Plus aria-hidden className="h-4 w-4" />
              Add target
            </ButtonLink>
          </>
        }
      />
      <Card className="max-w-4xl">
        <CardHeader
          title="Targets"
          description="Default targets serve every certificate that has no targets of its own; a certificate's page chooses others. Deploys keep to the maintenance window, and the deploy hook (Settings → Renewals) runs beside them as before."
        />
        {targets.length === 0 ? (
          <div className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">
            <p>No deploy target yet: new versions are written to live/ and the deploy hook runs, as with certbot.</p>
            <p className="mt-1">Add nginx on this server (checked with nginx -t, verified, rolled back when not served), a remote host over SSH, or a command.</p>
          </div>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {targets.map((target) => (
              <TargetRow key={target.id} target={target} />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
