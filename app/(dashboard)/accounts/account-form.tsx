"use client";

import { useActionState, useEffect, useState, useTransition } from "react";
import { ExternalLink } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { Button } from "@/components/ui/button";
import { Field, FieldErrors, Input, Textarea } from "@/components/ui/form-field";
import type { FormState } from "@/lib/validation/form-result";
import { createAccountAction, lookUpDirectoryAction, type DirectoryInfo } from "./actions";

const CUSTOM = "custom";

export function AccountForm({ presets }: { presets: Array<{ id: string; label: string; directoryUrl: string }> }) {
  const [state, formAction] = useActionState<FormState & { createdAt?: number }, FormData>(createAccountAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [preset, setPreset] = useState<string>(presets[0].id);
  const [customUrl, setCustomUrl] = useState(values.directoryUrl ?? "");
  const [caBundle, setCaBundle] = useState(values.caBundlePem ?? "");
  const [lookup, setLookup] = useState<{ url: string; result: Awaited<ReturnType<typeof lookUpDirectoryAction>> } | null>(null);
  const [isLookingUp, startLookup] = useTransition();
  const directoryUrl = preset === CUSTOM ? customUrl.trim() : (presets.find((p) => p.id === preset)?.directoryUrl ?? "");
  const info: DirectoryInfo | undefined = lookup?.url === directoryUrl && lookup.result.ok ? lookup.result.info : undefined;

  function lookUp() {
    if (!directoryUrl) return;
    const url = directoryUrl;
    startLookup(async () => setLookup({ url, result: await lookUpDirectoryAction({ directoryUrl: url, caBundlePem: caBundle || undefined }) }));
  }

  // Presets are looked up as soon as they are chosen, so their terms link appears by itself.
  useEffect(() => {
    if (preset !== CUSTOM) lookUp();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);

  return (
    <form key={state.createdAt} action={formAction} className="space-y-5" noValidate>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Certificate authority</legend>
        {[...presets, { id: CUSTOM, label: "Another ACME CA (custom directory URL)", directoryUrl: "" }].map((option) => (
          <label key={option.id} className="flex items-start gap-2 text-sm">
            <input type="radio" name="preset" value={option.id} checked={preset === option.id} onChange={() => setPreset(option.id)} className="mt-0.5" />
            <span>
              {option.label}
              {option.directoryUrl && <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{option.directoryUrl}</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {preset === CUSTOM ? (
        <Field id="directoryUrl" label="Directory URL" hint="For example https://ca.internal:9000/acme/acme/directory (step-ca) or a Pebble test CA." errors={errors.directoryUrl}>
          <div className="flex gap-2">
            <Input
              id="directoryUrl"
              type="url"
              required
              hasHint
              value={customUrl}
              onChange={(event) => setCustomUrl(event.target.value)}
              onBlur={lookUp}
              placeholder="https://…/directory"
              errors={errors.directoryUrl}
            />
            <Button type="button" variant="secondary" onClick={lookUp} disabled={!customUrl || isLookingUp}>
              Check directory
            </Button>
          </div>
        </Field>
      ) : (
        <input type="hidden" name="directoryUrl" value={directoryUrl} />
      )}

      <Field
        id="caBundlePem"
        label="Trusted CA bundle for this directory (optional)"
        hint="Only for a private CA whose HTTPS certificate this server does not trust: paste its root certificate(s) in PEM."
        errors={errors.caBundlePem}
      >
        <Textarea
          id="caBundlePem"
          rows={3}
          hasHint
          value={caBundle}
          onChange={(event) => setCaBundle(event.target.value)}
          onBlur={() => preset === CUSTOM && customUrl && lookUp()}
          placeholder="-----BEGIN CERTIFICATE-----"
          errors={errors.caBundlePem}
          className="text-xs"
        />
      </Field>

      <div aria-live="polite" className="rounded-md bg-zinc-50 px-3 py-2.5 text-sm dark:bg-zinc-950">
        {isLookingUp ? (
          <p className="text-zinc-500">Reading the directory…</p>
        ) : lookup?.url === directoryUrl && !lookup.result.ok ? (
          <p className="text-red-600 dark:text-red-400">{lookup.result.error}</p>
        ) : info ? (
          <div className="space-y-1">
            <p>
              Terms of service:{" "}
              {info.termsOfService ? (
                <a href={info.termsOfService} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-blue-700 underline dark:text-blue-400">
                  {info.termsOfService.length > 80 ? `${info.termsOfService.slice(0, 80)}…` : info.termsOfService}
                  <ExternalLink aria-hidden className="h-3 w-3" />
                </a>
              ) : (
                "the CA publishes none"
              )}
            </p>
            {info.externalAccountRequired && <p className="text-amber-700 dark:text-amber-300">This CA requires External Account Binding: fill in the EAB fields below.</p>}
          </div>
        ) : (
          <p className="text-zinc-500">Enter the directory URL to see the CA&apos;s terms of service.</p>
        )}
      </div>

      <Field id="email" label="Contact e-mail" hint="The CA writes here about problems with the account." errors={errors.email}>
        <Input id="email" type="email" required hasHint autoComplete="email" defaultValue={values.email} errors={errors.email} />
      </Field>
      <Field id="label" label="Name in CertDeck (optional)" errors={errors.label}>
        <Input id="label" defaultValue={values.label} placeholder="e.g. Let's Encrypt (ops)" errors={errors.label} />
      </Field>

      <details className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" open={Boolean(info?.externalAccountRequired || errors.eabHmacKey)}>
        <summary className="cursor-pointer text-sm font-medium">External Account Binding (ZeroSSL, Google, some private CAs)</summary>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field id="eabKeyId" label="EAB key ID" errors={errors.eabKeyId}>
            <Input id="eabKeyId" autoComplete="off" defaultValue={values.eabKeyId} errors={errors.eabKeyId} />
          </Field>
          <Field id="eabHmacKey" label="EAB HMAC key" errors={errors.eabHmacKey}>
            <Input id="eabHmacKey" type="password" autoComplete="off" errors={errors.eabHmacKey} />
          </Field>
        </div>
      </details>

      <div>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="termsAgreed" className="mt-0.5" aria-describedby={errors.termsAgreed ? "termsAgreed-error" : undefined} />
          <span>I have read and agree to the CA&apos;s terms of service{info?.termsOfService ? " (linked above)" : ""}.</span>
        </label>
        <FieldErrors id="termsAgreed-error" errors={errors.termsAgreed} />
      </div>
      <SubmitButton pendingLabel="Registering…">Register account</SubmitButton>
    </form>
  );
}
