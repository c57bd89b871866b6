import { ExternalLink } from "lucide-react";
import { caaRecordsFor } from "@/lib/domain/accounts/caa-records";
import { readDirectoryFacts } from "@/lib/domain/accounts/directory-facts";
import { FACT_LIST } from "@/components/ui/fact-list";
import { EXTERNAL_LINK, TermsOfServiceLink } from "./terms-of-service-link";

const TERM = "text-zinc-500 dark:text-zinc-400";

/**
 * What the account's CA says about itself in its directory: terms, website, whether it requires
 * EAB, the CAA identities (with the records to write) and the profiles it offers. Read through
 * the directory cache with a short timeout; an unreachable CA is said, not thrown.
 */
export async function AccountDirectoryFacts({
  account,
}: {
  account: { directoryUrl: string; caBundlePem: string | null; privateNetwork: boolean; accountUrl: string | null; caaExampleDomain: string };
}) {
  const result = await readDirectoryFacts(account);
  if (!result.ok) {
    return <p className="px-4 py-3 text-sm text-amber-700 dark:text-amber-300">CA unreachable: {result.reason}</p>;
  }
  const { facts } = result;
  const records = caaRecordsFor(account.caaExampleDomain, facts.caaIdentities, account.accountUrl);
  return (
    <dl className={FACT_LIST}>
      <dt className={TERM}>Terms of service</dt>
      <dd>
        <TermsOfServiceLink url={facts.termsOfService} />
      </dd>
      {facts.website && (
        <>
          <dt className={TERM}>Website</dt>
          <dd>
            <a href={facts.website} target="_blank" rel="noreferrer" className={EXTERNAL_LINK}>
              {facts.website}
              <ExternalLink aria-hidden className="h-3 w-3 shrink-0" />
            </a>
          </dd>
        </>
      )}
      <dt className={TERM}>External Account Binding</dt>
      <dd>{facts.externalAccountRequired ? "required by this CA" : "not required"}</dd>
      <dt className={TERM}>CAA identities</dt>
      <dd>
        {facts.caaIdentities.length === 0 ? (
          "the CA lists none (ask it which value to put in a CAA record)"
        ) : (
          <>
            {facts.caaIdentities.join(", ")}
            <span className="mt-1 block text-xs text-zinc-500 dark:text-zinc-400">
              CAA records that allow this CA to issue (add one to your DNS zone; with any CAA record present, other CAs must refuse):
            </span>
            <ul className="mt-1 space-y-1">
              {records.map((example) => (
                <li key={example.record}>
                  <code className="block break-all rounded bg-zinc-50 px-2 py-1 text-xs dark:bg-zinc-950">{example.record}</code>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">{example.meaning}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </dd>
      <dt className={TERM}>Profiles</dt>
      <dd>
        {facts.profiles.length === 0 ? (
          "none advertised: certificates get the CA's default"
        ) : (
          <ul className="space-y-0.5">
            {facts.profiles.map((profile) => (
              <li key={profile.name}>
                <code className="text-xs">{profile.name}</code>
                {profile.description && (
                  <span className="text-zinc-600 dark:text-zinc-400">
                    {" — "}
                    {/^https?:\/\//.test(profile.description) ? (
                      <a href={profile.description} target="_blank" rel="noreferrer" className={EXTERNAL_LINK}>
                        {profile.description}
                      </a>
                    ) : (
                      profile.description
                    )}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}
