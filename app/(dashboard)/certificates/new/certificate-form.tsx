"use client";

import { useActionState, useRef, useState, useTransition } from "react";
import { ScanSearch } from "lucide-react";
import { NginxSnippet } from "@/components/nginx-snippet";
import { PreflightReportView } from "@/components/preflight-report";
import { SubmitButton } from "@/components/submit-button";
import { Field, FieldErrors, Input, Select, Textarea } from "@/components/ui/form-field";
import { Button, ButtonLink } from "@/components/ui/button";
import type { FormState } from "@/lib/validation/form-result";
import { createCertificateAction } from "../actions";
import { checkNewCertificateAction, type CheckNewCertificateResult } from "./preflight-action";
import { FormError } from "@/components/form-error";

export interface CertificateFormOptions {
  accounts: Array<{ id: string; label: string }>;
  keyTypes: Array<{ id: string; label: string }>;
  challengeMethods: Array<{ id: string; label: string }>;
  standalonePort: number;
  challengeUpstream: string;
  defaultKeyType: string;
}

export function CertificateForm({ accounts, keyTypes, challengeMethods, standalonePort, challengeUpstream, defaultKeyType }: CertificateFormOptions) {
  const [state, formAction] = useActionState<FormState, FormData>(createCertificateAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [challengeMethod, setChallengeMethod] = useState(values.challengeMethod ?? "http-01-app");
  const formRef = useRef<HTMLFormElement>(null);
  const [check, setCheck] = useState<CheckNewCertificateResult | null>(null);
  const [isChecking, startCheck] = useTransition();

  /** "Check": the pre-flight check on what the form holds now; nothing is stored. */
  function runCheck() {
    if (!formRef.current) return;
    const current = Object.fromEntries([...new FormData(formRef.current)].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
    startCheck(async () => setCheck(await checkNewCertificateAction(current)));
  }
  const checkErrors = check && !check.ok ? [...Object.values(check.fieldErrors ?? {}).flatMap((messages) => messages ?? []), ...(check.formError ? [check.formError] : [])] : [];

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
          spellCheck={false}
          autoCapitalize="off"
          placeholder={"example.com\nwww.example.com"}
          defaultValue={values.names}
          errors={errors.names}
        />
      </Field>

      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="accountId" label="ACME account" errors={errors.accountId}>
          <Select id="accountId" defaultValue={values.accountId ?? accounts[0]?.id} errors={errors.accountId}>
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="keyType" label="Key type" errors={errors.keyType}>
          <Select id="keyType" defaultValue={values.keyType ?? defaultKeyType} errors={errors.keyType}>
            {keyTypes.map((keyType) => (
              <option key={keyType.id} value={keyType.id}>
                {keyType.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">How the CA checks you control the names</legend>
        {challengeMethods.map((method) => (
          <label
            key={method.id}
            className="flex cursor-pointer items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-blue-600 has-[:checked]:bg-blue-50/50 dark:border-zinc-800 dark:has-[:checked]:border-blue-400 dark:has-[:checked]:bg-blue-500/5"
          >
            <input
              type="radio"
              name="challengeMethod"
              value={method.id}
              checked={challengeMethod === method.id}
              onChange={() => setChallengeMethod(method.id)}
              className="mt-0.5"
            />
            <span>{method.label}</span>
          </label>
        ))}
        <FieldErrors id="challengeMethod-error" errors={errors.challengeMethod} />
        <div className="rounded-md bg-zinc-50 px-3 py-2.5 dark:bg-zinc-950">
          {challengeMethod === "http-01-app" ? (
            <NginxSnippet upstream={challengeUpstream} />
          ) : challengeMethod === "http-01-webroot" ? (
            <Field
              id="webrootPath"
              label="Webroot directory"
              hint="The document root nginx serves for these names on port 80. CertDeck writes the challenge files under .well-known/acme-challenge/ there and removes them afterwards."
              errors={errors.webrootPath}
            >
              <Input id="webrootPath" hasHint placeholder="/var/www/html" defaultValue={values.webrootPath} errors={errors.webrootPath} className="font-mono" />
            </Field>
          ) : (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              The job opens port {standalonePort} only while the CA validates, then closes it. The port must be free: if nginx
              holds it, use “served by CertDeck” instead of stopping nginx. The port is set in Settings.
            </p>
          )}
        </div>
      </fieldset>

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
        <Button type="button" variant="secondary" onClick={runCheck} disabled={isChecking} aria-busy={isChecking}>
          <ScanSearch aria-hidden className="h-4 w-4" />
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
