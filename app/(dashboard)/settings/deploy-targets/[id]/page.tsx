import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { KeyRound } from "lucide-react";
import { CertificateLinkList } from "@/components/certificate-link-list";
import { CopyButton } from "@/components/copy-button";
import { PageHeader } from "@/components/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { findRouteRecord } from "@/lib/web/route-record";
import { getDeployTargetForEdit, getTargetFormDefaults } from "@/lib/domain/deploy/targets/queries";
import { TargetForm, type TargetFormType } from "../target-form";
import { TargetTestPanel } from "../target-test-panel";

export const metadata: Metadata = { title: "Deploy target" };

export default async function DeployTargetPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser();
  const target = await findRouteRecord(params, getDeployTargetForEdit);
  if (target.type === "pull") notFound();
  const { saved } = await searchParams;
  const username = target.values.username || "the user";
  return (
    <>
      <PageHeader title={target.name} description={target.typeLabel} />
      {saved && (
        <p
          role="status"
          className="mb-5 max-w-5xl rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200"
        >
          Saved. {target.type === "ssh" ? "Add the public key to the host if it is new, then press Test." : "Press Test to check it."}
        </p>
      )}
      {target.configProblem && (
        <p role="alert" className="mb-5 max-w-5xl text-sm text-red-600 dark:text-red-400">
          {target.configProblem}
        </p>
      )}
      <div className="grid max-w-5xl gap-5 lg:grid-cols-3">
        <Card className="min-w-0 p-5 lg:col-span-2">
          <TargetForm
            type={target.type as TargetFormType}
            target={{
              id: target.id,
              values: target.values,
              hasPrivateKey: target.hasPrivateKey,
              keyHint: target.publicKey ? `${target.publicKey.typeLabel} ${target.publicKey.fingerprint}` : null,
            }}
            defaults={await getTargetFormDefaults()}
          />
        </Card>
        <div className="min-w-0 space-y-5 self-start">
          <Card>
            <CardHeader
              title="Test"
              description={
                target.type === "ssh"
                  ? "Logs in; the first connection pins the host key."
                  : target.type === "nginx"
                    ? "Runs the test command."
                    : "Checks the command's shell syntax."
              }
            />
            <div className="p-4">
              <TargetTestPanel targetId={target.id} name={target.name} />
            </div>
          </Card>
          {target.type === "ssh" && (
            <Card>
              <CardHeader title="Keys" />
              <dl className="space-y-3 px-4 py-3 text-sm">
                <div>
                  <dt className="text-zinc-500 dark:text-zinc-400">Host key (pinned)</dt>
                  <dd className="break-all font-mono text-xs" data-testid="host-key">
                    {target.hostKey ? `${target.hostKey.typeLabel} ${target.hostKey.fingerprint}` : "not pinned yet: the first connection (Test) pins it"}
                  </dd>
                </div>
                <div>
                  <dt className="flex items-center gap-1 text-zinc-500 dark:text-zinc-400">
                    <KeyRound aria-hidden className="h-3.5 w-3.5" />
                    Public key for ~{username}/.ssh/authorized_keys
                  </dt>
                  {target.publicKey ? (
                    <dd className="mt-1">
                      <div className="flex items-start gap-1">
                        <code className="min-w-0 flex-1 break-all rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-950" data-testid="public-key">
                          {target.publicKey.publicKey}
                        </code>
                        <CopyButton text={target.publicKey.publicKey} label="Copy the public key" />
                      </div>
                      <p className="mt-1 break-all text-xs text-zinc-500 dark:text-zinc-400">
                        {target.publicKey.typeLabel} {target.publicKey.fingerprint}. The private key is stored encrypted and never shown.
                      </p>
                    </dd>
                  ) : (
                    <dd className="text-xs text-red-600 dark:text-red-400">No readable private key: generate or paste one.</dd>
                  )}
                </div>
              </dl>
            </Card>
          )}
          <Card>
            <CardHeader title="Chosen by" description={target.isDefault ? "A default target: also every certificate without targets of its own." : undefined} />
            <CertificateLinkList certificates={target.certificates} emptyText="No certificate chose it." />
          </Card>
        </div>
      </div>
    </>
  );
}
