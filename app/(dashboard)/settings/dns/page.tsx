import type { Metadata } from "next";
import { Plus } from "lucide-react";
import { PageHeader } from "@/components/page-header";
import { SettingsBackLink } from "@/components/settings-back-link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { listDnsProviders } from "@/lib/domain/dns-providers/provider-store";
import { DnsProviderRow } from "./provider-row";

export const metadata: Metadata = { title: "DNS providers" };

export default async function DnsProvidersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const [providers, { saved }] = await Promise.all([listDnsProviders(), searchParams]);
  return (
    <>
      <PageHeader
        title="DNS providers"
        description="Where DNS-01 publishes the _acme-challenge TXT records: needed for wildcards, and for hosts the CA cannot reach."
        actions={
          <>
            <SettingsBackLink />
            <ButtonLink href="/settings/dns/new">
              <Plus aria-hidden className="h-4 w-4" />
              Add DNS provider
            </ButtonLink>
          </>
        }
      />
      <Card className="max-w-4xl">
        <CardHeader
          title="Providers"
          description="Secrets are stored encrypted and shown only by their last four characters. A provider in use cannot be deleted."
        />
        {providers.length === 0 ? (
          <div className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">
            <p>No DNS provider yet. Add one to issue wildcard certificates with DNS-01:</p>
            <p className="mt-1">RFC 2136 (BIND, Knot, PowerDNS with a TSIG key), Cloudflare (API token), or manual (you create the records).</p>
          </div>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {providers.map((provider) => (
              <DnsProviderRow
                key={provider.id}
                id={provider.id}
                name={provider.name}
                type={provider.type}
                typeLabel={provider.typeLabel}
                summary={provider.summary}
                credentialHint={provider.credentialHint}
                propagationTimeoutSeconds={provider.propagationTimeoutSeconds}
                usedBy={provider.usedBy}
                isJustSaved={saved === provider.id}
              />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
