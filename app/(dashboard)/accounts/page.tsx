import type { Metadata } from "next";
import { Suspense } from "react";
import { AutoRefresh } from "@/components/auto-refresh";
import { PageHeader } from "@/components/page-header";
import { Badge, StatusBadge, type StatusBadges } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { DIRECTORY_PRESETS, presetFor } from "@/lib/protocol/acme/presets";
import { requireUser } from "@/lib/web/session";
import { hasPendingAccountRegistration, listAccounts } from "@/lib/domain/accounts/queries";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { AccountDirectoryFacts } from "./account-directory-facts";
import { AccountForm } from "./account-form";
import { RateLimitForm } from "./rate-limit-form";
import { RetryRegistrationForm } from "./retry-registration-form";
import { AccountNetworkForm } from "./account-network-form";
import { ACCOUNT_PRIVATE_NETWORK_NOTE } from "@/lib/domain/network/private-network-words";
import { describeRateLimits } from "@/lib/domain/accounts/rate-limits";
import { FACT_LIST } from "@/components/ui/fact-list";

export const metadata: Metadata = { title: "ACME accounts" };

const STATUS: StatusBadges = {
  pending: ["blue", "Registering…"],
  valid: ["green", "Registered"],
  failed: ["red", "Registration failed"],
  deactivated: ["gray", "Deactivated"],
  revoked: ["red", "Revoked"],
};

export default async function AccountsPage() {
  await requireUser();
  const [accounts, isRegistering] = await Promise.all([listAccounts(), hasPendingAccountRegistration()]);
  return (
    <>
      <AutoRefresh isActive={isRegistering} />
      <PageHeader title="ACME accounts" description="The accounts certificates are ordered with. Each has its own key, kept encrypted." />
      <div className="grid gap-5 lg:grid-cols-5">
        <div className="min-w-0 space-y-3 lg:col-span-3">
          {accounts.length === 0 && (
            <Card>
              <EmptyState>No account yet. Certificates are ordered through an ACME account: register one with the form.</EmptyState>
            </Card>
          )}
          {accounts.map((account) => (
            <Card key={account.id}>
              <CardHeader
                title={account.label}
                description={account.directoryUrl}
                actions={
                  <span className="flex flex-wrap items-center gap-1.5">
                    {account.privateNetwork && <Badge tone="amber">Private network</Badge>}
                    <StatusBadge status={account.status} badges={STATUS} />
                  </span>
                }
              />
              {account.privateNetwork && (
                <p className="border-b border-zinc-200 bg-amber-50/60 px-4 py-2 text-xs text-amber-800 dark:border-zinc-800 dark:bg-amber-500/5 dark:text-amber-300">
                  {ACCOUNT_PRIVATE_NETWORK_NOTE}
                </p>
              )}
              <dl className={FACT_LIST}>
                <dt className="text-zinc-500 dark:text-zinc-400">Contact</dt>
                <dd>{account.email}</dd>
                <dt className="text-zinc-500 dark:text-zinc-400">Account URL</dt>
                <dd className="break-all font-mono text-xs">{account.accountUrl ?? "not registered yet"}</dd>
                <dt className="text-zinc-500 dark:text-zinc-400">Terms agreed</dt>
                <dd>
                  {account.termsAgreedAt ? formatDateTime(account.termsAgreedAt, displayTimeZone()) : "no"}
                  {account.termsOfServiceUrl && (
                    <a href={account.termsOfServiceUrl} target="_blank" rel="noreferrer" className="ml-2 text-blue-700 underline dark:text-blue-400">
                      terms
                    </a>
                  )}
                </dd>
                {account.caBundlePem && (
                  <>
                    <dt className="text-zinc-500 dark:text-zinc-400">Trusted CA</dt>
                    <dd>custom CA bundle for this directory</dd>
                  </>
                )}
                {account.eabKeyId && (
                  <>
                    <dt className="text-zinc-500 dark:text-zinc-400">EAB</dt>
                    <dd>
                      key ID <code className="text-xs">{account.eabKeyId}</code>, HMAC key <code className="text-xs">{account.eabHmacKeyHint}</code>{" "}
                      <span className="text-xs text-zinc-500 dark:text-zinc-400">(stored encrypted)</span>
                    </dd>
                  </>
                )}
                <dt className="text-zinc-500 dark:text-zinc-400">Certificates</dt>
                <dd>{account._count.certificates}</dd>
              </dl>
              {account.lastError && (
                <p role="alert" className="border-t border-zinc-200 px-4 py-2 text-sm text-red-600 dark:border-zinc-800 dark:text-red-400">
                  {account.lastError}
                </p>
              )}
              {account.status === "failed" && (
                <details className="border-t border-zinc-200 px-4 py-2 dark:border-zinc-800" open>
                  <summary className="cursor-pointer text-sm font-medium">Register again</summary>
                  <div className="mb-1 mt-2">
                    <RetryRegistrationForm accountId={account.id} usesEab={Boolean(account.eabKeyId)} eabSource={presetFor(account.directoryUrl)?.eabSource} />
                  </div>
                </details>
              )}
              <section aria-label={`What ${account.label}'s CA says`} className="border-t border-zinc-200 dark:border-zinc-800">
                <h3 className="px-4 pt-3 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">From the CA&apos;s directory</h3>
                <Suspense fallback={<p className="px-4 py-3 text-sm text-zinc-500">Reading the CA&apos;s directory…</p>}>
                  <AccountDirectoryFacts account={account} />
                </Suspense>
              </section>
              <details className="border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
                <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
                  Rate-limit guard: {describeRateLimits(account.rateLimits)}
                </summary>
                <p className="mb-3 mt-2 text-xs text-zinc-500 dark:text-zinc-400">
                  CertDeck holds back a retry that would exceed these and schedules it for when the window allows. The defaults are Let&apos;s Encrypt&apos;s
                  limits.
                </p>
                <RateLimitForm accountId={account.id} limits={account.rateLimits} />
              </details>
              <details className="border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
                <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
                  Network: {account.privateNetwork ? "this machine, the private network and the internet" : "public addresses over https only"}
                </summary>
                <div className="mb-1 mt-2">
                  <AccountNetworkForm accountId={account.id} label={account.label} privateNetwork={account.privateNetwork} />
                </div>
              </details>
            </Card>
          ))}
        </div>
        {/* With no account yet, the form comes first on a phone. */}
        <Card className={`min-w-0 lg:col-span-2 lg:self-start ${accounts.length === 0 ? "order-first lg:order-none" : ""}`}>
          <CardHeader title="Register an ACME account" />
          <div className="p-4">
            <AccountForm
              accounts={accounts.map(({ id, status }) => ({ id, status }))}
              presets={DIRECTORY_PRESETS.map((preset) => ({
                id: preset.id,
                label: preset.label,
                note: preset.note,
                directoryUrl: preset.directoryUrl,
                requiresEab: preset.requiresEab,
                eabSource: "eabSource" in preset ? preset.eabSource : undefined,
              }))}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
