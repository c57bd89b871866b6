import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { DEFAULT_PROPAGATION_TIMEOUT_SECONDS, DNS_PROVIDER_TYPES, TSIG_ALGORITHM_IDS } from "@/lib/domain/dns-providers/dns-provider.validation";
import { getDnsProviderForEdit } from "@/lib/domain/dns-providers/provider-store";
import { DnsProviderForm } from "../provider-form";
import { dnsProviderIdSchema } from "../provider-id";

export const metadata: Metadata = { title: "DNS provider" };

export default async function EditDnsProviderPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const id = dnsProviderIdSchema.safeParse((await params).id);
  const provider = id.success ? await getDnsProviderForEdit(id.data) : null;
  if (!provider) notFound();
  return (
    <>
      <PageHeader title={provider.name} description={provider.typeLabel} />
      <div className="grid max-w-5xl gap-5 lg:grid-cols-3">
        <Card className="p-5 lg:col-span-2">
          <DnsProviderForm
            provider={{ id: provider.id, type: provider.type, values: provider.values, credentialHint: provider.credentialHint }}
            types={Object.entries(DNS_PROVIDER_TYPES).map(([typeId, label]) => ({ id: typeId, label }))}
            tsigAlgorithms={TSIG_ALGORITHM_IDS}
            defaultPropagationTimeoutSeconds={DEFAULT_PROPAGATION_TIMEOUT_SECONDS}
          />
        </Card>
        <Card className="self-start">
          <CardHeader title="Used by" description="Changes apply to their next order." />
          {provider.certificates.length === 0 ? (
            <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">No certificate uses it yet.</p>
          ) : (
            <ul className="px-4 py-3 text-sm">
              {provider.certificates.map((certificate) => (
                <li key={certificate.id}>
                  <Link href={`/certificates/${certificate.id}`} className="text-blue-700 underline dark:text-blue-400">
                    {certificate.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
