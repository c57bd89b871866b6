"use client";

import { useActionState, useRef, useState, useTransition } from "react";
import { ScanSearch } from "lucide-react";
import { ChallengeMethodFields, type DnsProviderChoice } from "@/components/challenge-method-fields";
import { ProfileField, ReuseKeyField, type ProfileChoice } from "@/components/order-options-fields";
import { PreflightReportView } from "@/components/preflight-report";
import { SubmitButton } from "@/components/submit-button";
import { Field, Options, Select, Textarea } from "@/components/ui/form-field";
import { Button, ButtonLink } from "@/components/ui/button";
import type { FormState } from "@/lib/web/form-state";
import { createCertificateAction } from "../actions";
import { checkNewCertificateAction, type CheckNewCertificateResult } from "./preflight-action";
import { FormError } from "@/components/form-error";

export interface CertificateFormOptions {
  accounts: Array<{ id: string; label: string }>;
  keyTypes: Array<{ id: string; label: string }>;
  challengeMethods: Array<{ id: string; label: string }>;
  standalonePort: number;
  tlsAlpnPort: number;
  dnsProviders: DnsProviderChoice[];
  /** Account id → the profiles its CA advertises ([] when none). */
  profilesByAccount: Record<string, ProfileChoice[]>;
  challengeUpstream: string;
  defaultKeyType: string;
}

/** A wildcard among the typed names ("*.example.com"), for the "Wildcards need DNS-01" hint. */
const WILDCARD_ENTRY = /(^|[\s,])\*\./;

export function CertificateForm({
  accounts,
  keyTypes,
  challengeMethods,
  standalonePort,
  tlsAlpnPort,
  dnsProviders,
  profilesByAccount,
  challengeUpstream,
  defaultKeyType,
}: CertificateFormOptions) {
  const [state, formAction] = useActionState<FormState, FormData>(createCertificateAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [challengeMethod, setChallengeMethod] = useState(values.challengeMethod ?? "http-01-app");
  const [accountId, setAccountId] = useState(values.accountId ?? accounts[0]?.id ?? "");
  const [hasWildcard, setHasWildcard] = useState(WILDCARD_ENTRY.test(values.names ?? ""));
  const formRef = useRef<HTMLFormElement>(null);
  const [check, setCheck] = useState<CheckNewCertificateResult | null>(null);
  const [isChecking, startCheck] = useTransition();

  /** "Check": the pre-flight check on what the form holds now; nothing is stored. */
  function runCheck() {
    if (!formRef.current) return;
    const current = Object.fromEntries([...new FormData(formRef.current)].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
    startCheck(async () => setCheck(await checkNewCertificateAction(current)));
  }
  const checkErrors =
    check && !check.ok ? [...Object.values(check.fieldErrors ?? {}).flatMap((messages) => messages ?? []), ...(check.formError ? [check.formError] : [])] : [];

  return (
    <form ref={formRef} action={formAction} className="space-y-5" noValidate>
      <Field
        id="names"
        label="Names"
        hint="One per line or separated by commas. The first name names the certificate and its live/<name>/ directory. Unicode names are converted to punycode."
        errors={errors.names}
      >
        <Textarea
          id="names"
          rows={4}
          required
          hasHint
          autoFocus
          placeholder={"example.com\nwww.example.com"}
          defaultValue={values.names}
          onChange={(event) => setHasWildcard(WILDCARD_ENTRY.test(event.target.value))}
          errors={errors.names}
        />
      </Field>

      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="accountId" label="ACME account" errors={errors.accountId}>
          <Select id="accountId" value={accountId} onChange={(event) => setAccountId(event.target.value)} errors={errors.accountId}>
            <Options choices={accounts} />
          </Select>
        </Field>
        <Field id="keyType" label="Key type" errors={errors.keyType}>
          <Select id="keyType" defaultValue={values.keyType ?? defaultKeyType} errors={errors.keyType}>
            <Options choices={keyTypes} />
          </Select>
        </Field>
      </div>

      <ChallengeMethodFields
        methods={challengeMethods}
        method={challengeMethod}
        onMethodChange={setChallengeMethod}
        errors={errors}
        defaults={values}
        dnsProviders={dnsProviders}
        hasWildcard={hasWildcard}
        standalonePort={standalonePort}
        tlsAlpnPort={tlsAlpnPort}
        challengeUpstream={challengeUpstream}
      />

      <ProfileField key={accountId} profiles={profilesByAccount[accountId] ?? []} defaultValue={values.profile} errors={errors.profile} />
      <ReuseKeyField defaultChecked={values.reuseKey === "on"} />

      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="issueAnyway" value="on" defaultChecked={values.issueAnyway === "on"} className="mt-0.5" />
        <span>
          Issue even if the check fails (the job log records it)
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">
            Before ordering, CertDeck checks DNS, this host&apos;s addresses, the challenge URL and CAA, and stops when the CA would refuse.
          </span>
        </span>
      </label>

      <FormError message={state.formError} />
      <div className="flex gap-2">
        <SubmitButton pendingLabel="Adding…">Add and issue</SubmitButton>
        <Button type="button" variant="secondary" onClick={runCheck} disabled={isChecking} aria-busy={isChecking} icon={ScanSearch}>
          {isChecking ? "Checking…" : "Check"}
        </Button>
        <ButtonLink href="/" variant="secondary">
          Cancel
        </ButtonLink>
      </div>

      <div aria-live="polite">
        {isChecking ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Looking up DNS and fetching the challenge URL…</p>
        ) : check?.ok ? (
          <div className="rounded-md border border-zinc-200 px-3 py-3 dark:border-zinc-800">
            <PreflightReportView report={check.report} />
          </div>
        ) : checkErrors.length > 0 ? (
          <div role="alert" className="text-sm text-red-600 dark:text-red-400">
            <p>Fix the form before checking:</p>
            <ul className="mt-1 list-disc pl-5">
              {checkErrors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </form>
  );
}
