import Link from "next/link";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { getChallengeListeners, listDnsProviderChoices, listProfilesByAccount } from "@/lib/domain/certificates/challenge-options";
import type { ChallengeSettings } from "@/lib/domain/certificates/challenge-settings";
import { webrootLinesOf } from "@/lib/web/certificate-form-input";
import { CHALLENGE_METHODS, type ChallengeMethod } from "@/lib/domain/certificates/certificate.validation";
import { choicesOf } from "@/lib/core/keys-of";
import { ChallengeSettingsForm } from "./challenge-settings-form";

/** The "Challenge settings" card: the form, with the DNS providers and the CA's profiles to choose from. */
export async function ChallengeSettingsCard({ settings, isLocked }: { settings: ChallengeSettings; isLocked: boolean }) {
  const [dnsProviders, profilesByAccount, listeners] = await Promise.all([
    listDnsProviderChoices(),
    listProfilesByAccount([settings.accountId]),
    getChallengeListeners(),
  ]);
  return (
    <ChallengeSettingsForm
      certificateId={settings.certificateId}
      current={{
        challengeMethod: settings.challengeMethod,
        webrootPath: settings.webrootPath ?? "",
        webrootPaths: webrootLinesOf(settings.webrootPaths),
        dnsProviderId: settings.dnsProvider?.id ?? "",
        profile: settings.profile ?? "",
        reuseKey: settings.reuseKey,
      }}
      hasWildcard={settings.identifiers.some((identifier) => identifier.value.startsWith("*."))}
      isLocked={isLocked}
      methods={choicesOf(CHALLENGE_METHODS)}
      dnsProviders={dnsProviders}
      profiles={profilesByAccount[settings.accountId] ?? []}
      {...listeners}
    />
  );
}

/** The "Challenge" line of the certificate's facts: the method and what it uses. */
export function ChallengeSummary({ settings }: { settings: ChallengeSettings }) {
  const perName = Object.entries(settings.webrootPaths);
  return (
    <>
      {CHALLENGE_METHODS[settings.challengeMethod as ChallengeMethod] ?? settings.challengeMethod}
      {settings.challengeMethod === "http-01-webroot" && (
        <ul className="mt-0.5 text-xs">
          {settings.webrootPath && (
            <li>
              <code>{settings.webrootPath}</code>
              {perName.length > 0 && <span className="text-zinc-500 dark:text-zinc-400"> (other names)</span>}
            </li>
          )}
          {perName.map(([name, webroot]) => (
            <li key={name}>
              <code>{webroot}</code> <span className="text-zinc-500 dark:text-zinc-400">for {name}</span>
            </li>
          ))}
        </ul>
      )}
      {settings.dnsProvider && (
        <span className="block text-xs">
          through{" "}
          <Link href={`${SETTINGS_SECTIONS.dns.href}/${settings.dnsProvider.id}`} className="text-blue-700 underline dark:text-blue-400">
            {settings.dnsProvider.name}
          </Link>
        </span>
      )}
    </>
  );
}
