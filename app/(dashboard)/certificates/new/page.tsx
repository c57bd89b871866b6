import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { listRegisteredAccounts } from "@/lib/domain/accounts/queries";
import { getChallengeListeners, listDnsProviderChoices, listProfilesByAccount } from "@/lib/domain/certificates/challenge-options";
import { DEFAULT_KEY_TYPE, KEY_TYPES } from "@/lib/protocol/x509/key-types";
import { CHALLENGE_METHODS } from "@/lib/domain/certificates/certificate.validation";
import { CertificateForm } from "./certificate-form";

export const metadata: Metadata = { title: "Add certificate" };

export default async function NewCertificatePage() {
  await requireUser();
  const [accounts, listeners, dnsProviders, profilesByAccount] = await Promise.all([
    listRegisteredAccounts(),
    getChallengeListeners(),
    listDnsProviderChoices(),
    listProfilesByAccount(),
  ]);
  return (
    <>
      <PageHeader title="Add certificate" description="CertDeck orders it at once and renews it before it expires." />
      <Card className="max-w-2xl p-5">
        {accounts.length === 0 ? (
          <div className="space-y-3 text-sm">
            <p>A certificate is ordered through an ACME account, and none is registered yet.</p>
            <ButtonLink href="/accounts">Register an ACME account</ButtonLink>
          </div>
        ) : (
          <CertificateForm
            accounts={accounts.map(({ id, label }) => ({ id, label }))}
            keyTypes={Object.entries(KEY_TYPES).map(([id, { label }]) => ({ id, label }))}
            challengeMethods={Object.entries(CHALLENGE_METHODS).map(([id, label]) => ({ id, label }))}
            {...listeners}
            dnsProviders={dnsProviders}
            profilesByAccount={profilesByAccount}
            defaultKeyType={DEFAULT_KEY_TYPE}
          />
        )}
      </Card>
    </>
  );
}
