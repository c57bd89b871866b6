import type { Metadata } from "next";
import { SettingsListPage } from "@/components/settings-list-page";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { requireUser } from "@/lib/web/session";
import { listDnsProviders } from "@/lib/domain/dns-providers/provider-store";
import { DnsProviderRow } from "./provider-row";

export const metadata: Metadata = { title: SETTINGS_SECTIONS.dns.title };

export default async function DnsProvidersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const [providers, { saved }] = await Promise.all([listDnsProviders(), searchParams]);
  return (
    <SettingsListPage
      section="dns"
      addLabel="Add DNS provider"
      listTitle="Providers"
      listDescription="Secrets are stored encrypted and shown only by their last four characters. A provider in use cannot be deleted."
      isEmpty={providers.length === 0}
      empty={
        <>
          <p>No DNS provider yet. Add one to issue wildcard certificates with DNS-01:</p>
          <p className="mt-1">RFC 2136 (BIND, Knot, PowerDNS with a TSIG key), Cloudflare (API token), or manual (you create the records).</p>
        </>
      }
    >
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
    </SettingsListPage>
  );
}
