import type { Metadata } from "next";
import { AutoRefresh } from "@/components/auto-refresh";
import { FormPage } from "@/components/form-page";
import { ButtonLink } from "@/components/ui/button";
import { requireUser } from "@/lib/web/session";
import { listAccountSummaries } from "@/lib/domain/accounts/queries";
import { getChallengeListeners, listDnsProviderChoices, listProfilesByAccount } from "@/lib/domain/certificates/challenge-options";
import { DEFAULT_KEY_TYPE, KEY_TYPES } from "@/lib/protocol/x509/key-types";
import { CHALLENGE_METHODS } from "@/lib/domain/certificates/certificate.validation";
import { choicesOf } from "@/lib/core/keys-of";
import { CertificateForm } from "./certificate-form";

export const metadata: Metadata = { title: "Add certificate" };

export default async function NewCertificatePage() {
  await requireUser();
  const [allAccounts, listeners, dnsProviders, profilesByAccount] = await Promise.all([
    listAccountSummaries(),
    getChallengeListeners(),
    listDnsProviderChoices(),
    listProfilesByAccount(),
  ]);
  const accounts = allAccounts.filter((account) => account.status === "valid");
  return (
    <>
      <AutoRefresh isActive={accounts.length === 0 && allAccounts.some((account) => account.status === "pending")} />
      <FormPage title="Add certificate" description="CertDeck orders it at once and renews it before it expires.">
        {accounts.length === 0 ? (
          <NoRegisteredAccount accounts={allAccounts} />
        ) : (
          <CertificateForm
            accounts={accounts.map(({ id, label }) => ({ id, label }))}
            keyTypes={choicesOf(KEY_TYPES)}
            challengeMethods={choicesOf(CHALLENGE_METHODS)}
            {...listeners}
            dnsProviders={dnsProviders}
            profilesByAccount={profilesByAccount}
            defaultKeyType={DEFAULT_KEY_TYPE}
          />
        )}
      </FormPage>
    </>
  );
}

/** Instead of the form while no account can order yet: what is happening, or what to do. */
function NoRegisteredAccount({ accounts }: { accounts: Array<{ label: string; status: string }> }) {
  const registering = accounts.find((account) => account.status === "pending");
  const failed = accounts.find((account) => account.status === "failed");
  return (
    <div className="space-y-3 text-sm">
      {registering ? (
        <p role="status">
          A certificate is ordered through an ACME account: <span className="font-medium">{registering.label}</span> is being registered with the CA. The form
          appears here as soon as it is ready.
        </p>
      ) : (
        <>
          <p>
            A certificate is ordered through an ACME account, and none is registered yet
            {failed ? (
              <>
                : the registration of <span className="font-medium">{failed.label}</span> failed.
              </>
            ) : (
              "."
            )}
          </p>
          <ButtonLink href="/accounts">{failed ? "See why on ACME accounts" : "Register an ACME account"}</ButtonLink>
        </>
      )}
    </div>
  );
}
