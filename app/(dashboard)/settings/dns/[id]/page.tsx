import type { Metadata } from "next";
import { CertificateLinkList } from "@/components/certificate-link-list";
import { PageHeader } from "@/components/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { findRouteRecord } from "@/lib/web/route-record";
import { DEFAULT_PROPAGATION_TIMEOUT_SECONDS, DNS_PROVIDER_TYPES, TSIG_ALGORITHM_IDS } from "@/lib/domain/dns-providers/dns-provider.validation";
import { getDnsProviderForEdit } from "@/lib/domain/dns-providers/provider-store";
import { choicesOf } from "@/lib/core/keys-of";
import { DnsProviderForm } from "../provider-form";

export const metadata: Metadata = { title: "DNS provider" };

export default async function EditDnsProviderPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const provider = await findRouteRecord(params, getDnsProviderForEdit);
  return (
    <>
      <PageHeader title={provider.name} description={provider.typeLabel} />
      <div className="grid max-w-5xl gap-5 lg:grid-cols-3">
        <Card className="p-5 lg:col-span-2">
          <DnsProviderForm
            provider={{ id: provider.id, type: provider.type, values: provider.values, credentialHint: provider.credentialHint }}
            types={choicesOf(DNS_PROVIDER_TYPES)}
            tsigAlgorithms={TSIG_ALGORITHM_IDS}
            defaultPropagationTimeoutSeconds={DEFAULT_PROPAGATION_TIMEOUT_SECONDS}
          />
        </Card>
        <Card className="self-start">
          <CardHeader title="Used by" description="Changes apply to their next order." />
          <CertificateLinkList certificates={provider.certificates} emptyText="No certificate uses it yet." />
        </Card>
      </div>
    </>
  );
}
