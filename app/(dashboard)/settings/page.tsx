import type { Metadata } from "next";
import Link from "next/link";
import path from "node:path";
import { NginxSnippet } from "@/components/nginx-snippet";
import { PageHeader } from "@/components/page-header";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { readSettings } from "@/lib/domain/settings/queries";
import { certificatesDir, dataDir, displayTimeZone, listenPort } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { detectInterfaceAddresses } from "@/lib/domain/preflight/host-addresses";
import { NetworkForm } from "./network-form";
import { SettingsForm } from "./settings-form";
import { saveSettingsAction } from "./actions";
import { SETTINGS_FORMS } from "./setting-fields";
import { FACT_LIST } from "@/components/ui/fact-list";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireUser();
  const settings = await readSettings(...SETTINGS_FORMS.challenge.names, ...SETTINGS_FORMS.network.names);
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader title="HTTP-01 challenges" />
          <div className="space-y-5 p-4">
            <SettingsForm group="challenge" action={saveSettingsAction} saved={settings} />
            <div className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
              <h3 className="mb-2 text-sm font-medium">Served by CertDeck behind nginx</h3>
              <NginxSnippet upstream={`http://127.0.0.1:${listenPort()}`} />
            </div>
          </div>
        </Card>
        <Card>
          <CardHeader title="This server" />
          <dl className={FACT_LIST}>
            <dt className="text-zinc-500 dark:text-zinc-400">Server time</dt>
            <dd>{formatDateTime(new Date(), displayTimeZone())}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Time zone</dt>
            <dd>{displayTimeZone()}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Data directory</dt>
            <dd className="break-all font-mono text-xs">{dataDir()}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Certificates</dt>
            <dd className="break-all font-mono text-xs">{path.join(certificatesDir(), "live")}/&lt;name&gt;/</dd>
          </dl>
        </Card>
        {Object.values(SETTINGS_SECTIONS).map((section) => (
          <Link
            key={section.href}
            href={section.href}
            className="rounded-lg border border-zinc-200 bg-white px-4 py-3 text-sm shadow-xs hover:border-zinc-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
          >
            <span className="font-semibold">{section.title}</span>
            <span className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">{section.summary} →</span>
          </Link>
        ))}
        <Card>
          <CardHeader title="Network" description="How the pre-flight check looks at this host the way the CA will, before each order." />
          <div className="p-4">
            <NetworkForm saved={settings} detected={detectInterfaceAddresses()} />
          </div>
        </Card>
      </div>
    </>
  );
}
