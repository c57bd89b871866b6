import type { Metadata } from "next";
import { FormPage } from "@/components/form-page";
import { requireUser } from "@/lib/web/session";
import { DEFAULT_PROPAGATION_TIMEOUT_SECONDS, DNS_PROVIDER_TYPES, TSIG_ALGORITHM_IDS } from "@/lib/domain/dns-providers/dns-provider.validation";
import { choicesOf } from "@/lib/core/keys-of";
import { DnsProviderForm } from "../provider-form";

export const metadata: Metadata = { title: "Add DNS provider" };

export default async function NewDnsProviderPage() {
  await requireUser();
  return (
    <FormPage title="Add DNS provider" description="Certificates using DNS-01 publish their TXT records through it.">
      <DnsProviderForm
        types={choicesOf(DNS_PROVIDER_TYPES)}
        tsigAlgorithms={TSIG_ALGORITHM_IDS}
        defaultPropagationTimeoutSeconds={DEFAULT_PROPAGATION_TIMEOUT_SECONDS}
      />
    </FormPage>
  );
}
