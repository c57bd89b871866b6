"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { ArrowRight, CircleCheck, CircleX } from "lucide-react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { Button, ButtonLink } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field, FieldErrors, Input, Textarea } from "@/components/ui/form-field";
import { createAccountAction, lookUpDirectoryAction } from "./actions";
import { EabFields } from "./eab-fields";
import { TermsOfServiceLink } from "./terms-of-service-link";
import type { DirectoryPreset } from "@/lib/protocol/acme/presets";
import { ACCOUNT_PRIVATE_NETWORK_LABEL, ACCOUNT_PRIVATE_NETWORK_NOTE } from "@/lib/domain/network/private-network-words";

const CUSTOM = "custom";

/** A CA the form offers: its preset without the staging twin, which only dry runs use. */
export type PresetOption = Omit<DirectoryPreset, "stagingDirectoryUrl">;

type Lookup = { url: string; privateNetwork: boolean; result: Awaited<ReturnType<typeof lookUpDirectoryAction>> };

type AccountFormState = Awaited<ReturnType<typeof createAccountAction>>;

/** Where a new account stands, from the page (which refreshes itself while one registers). */
export interface AccountStatus {
  id: string;
  status: string;
}

/**
 * Register an account. After it is added the form gives way to what happens next (the
 * registration, then adding a certificate); "Register another account" brings back an empty form.
 */
export function AccountForm({ presets, accounts }: { presets: PresetOption[]; accounts: AccountStatus[] }) {
  const [state, formAction] = useActionState<AccountFormState, FormData>(createAccountAction, {});
  const [dismissedAt, setDismissedAt] = useState<number>();
  if (state.created && state.createdAt !== dismissedAt) {
    const status = accounts.find((account) => account.id === state.created?.accountId)?.status ?? "pending";
    return <AccountAdded status={status} onAnother={() => setDismissedAt(state.createdAt)} />;
  }
  // A new key after each account added: every field starts empty again, the CA choice included.
  return <AccountFormFields key={state.createdAt ?? 0} presets={presets} state={state} formAction={formAction} />;
}

function AccountAdded({ status, onAnother }: { status: string; onAnother: () => void }) {
  const isFailed = status === "failed";
  // The form the focus was in is gone: the focus moves to what replaced it.
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => notice.current?.focus(), []);
  return (
    <div ref={notice} tabIndex={-1} role="status" className="space-y-3 text-sm focus-visible:outline-none">
      <p className={`flex items-start gap-2 font-medium ${isFailed ? "text-red-700 dark:text-red-300" : "text-emerald-800 dark:text-emerald-300"}`}>
        {isFailed ? <CircleX aria-hidden className="mt-0.5 h-4 w-4 shrink-0" /> : <CircleCheck aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />}
        {status === "valid"
          ? "Account added: the CA has registered it."
          : isFailed
            ? "Account added, but the CA refused the registration: its card says why."
            : "Account added: registering it with the CA…"}
      </p>
      {!isFailed && <p className="text-zinc-600 dark:text-zinc-400">Next, the names of a site: CertDeck orders their certificate through this account.</p>}
      <div className="flex flex-wrap gap-2">
        {!isFailed && (
          <ButtonLink href="/certificates/new">
            Now add a certificate
            <ArrowRight aria-hidden className="h-4 w-4" />
          </ButtonLink>
        )}
        <Button type="button" variant="secondary" onClick={onAnother}>
          Register another account
        </Button>
      </div>
    </div>
  );
}

function AccountFormFields({ presets, state, formAction }: { presets: PresetOption[]; state: AccountFormState; formAction: (formData: FormData) => void }) {
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [presetId, setPresetId] = useState<string>(values.preset ?? presets[0].id);
  const [customUrl, setCustomUrl] = useState(values.directoryUrl ?? "");
  const [caBundle, setCaBundle] = useState(values.caBundlePem ?? "");
  // The checkbox is uncontrolled (React resets a form to its defaults after each action, which
  // would leave a controlled one unticked while this state says ticked): its default follows the
  // submitted values, and this mirror, for the directory lookup, follows each action's result.
  const submittedPrivate = values.privateNetwork === "on";
  const [privateNetwork, setPrivateNetwork] = useState(submittedPrivate);
  const [seenState, setSeenState] = useState(state);
  if (seenState !== state) {
    setSeenState(state);
    setPrivateNetwork(submittedPrivate);
  }
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [isLookingUp, startLookup] = useTransition();
  const preset = presets.find((option) => option.id === presetId);
  const isCustom = !preset;
  const directoryUrl = preset ? preset.directoryUrl : customUrl.trim();
  // A lookup answers for one URL under one network choice: changing either asks again.
  const lookupResult = lookup?.url === directoryUrl && lookup.privateNetwork === (isCustom && privateNetwork) ? lookup.result : undefined;
  const info = lookupResult?.ok ? lookupResult.info : undefined;
  const needsEab = Boolean(preset?.requiresEab || info?.externalAccountRequired);
  const hasEabErrors = Boolean(errors.eabKeyId || errors.eabHmacKey);

  function lookUp(isPrivate = isCustom && privateNetwork) {
    if (!directoryUrl) return;
    const url = directoryUrl;
    const bundle = isCustom && caBundle ? caBundle : undefined;
    startLookup(async () =>
      setLookup({ url, privateNetwork: isPrivate, result: await lookUpDirectoryAction({ directoryUrl: url, caBundlePem: bundle, privateNetwork: isPrivate }) }),
    );
  }

  // Presets are looked up as soon as they are chosen, so their terms link appears by itself.
  useEffect(() => {
    if (!isCustom) lookUp();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [presetId]);

  const eabFields = <EabFields source={preset?.eabSource} defaultKeyId={values.eabKeyId} errors={errors} />;

  return (
    <form action={formAction} className="space-y-5" noValidate>
      <fieldset className="space-y-1.5">
        <legend className="mb-1 text-sm font-medium">Certificate authority</legend>
        {[...presets, { id: CUSTOM, label: "Another ACME CA (custom directory URL)", note: "step-ca, a private CA, Pebble…", requiresEab: false }].map(
          (option) => (
            <label key={option.id} className="flex items-start gap-2 rounded-md px-1 py-0.5 text-sm has-[:checked]:bg-zinc-50 dark:has-[:checked]:bg-zinc-950">
              {/* defaultChecked, not checked: React's reset of the form after the action restores
                defaults, and a controlled radio would then show the wrong choice. */}
              <input
                type="radio"
                name="preset"
                value={option.id}
                defaultChecked={presetId === option.id}
                onChange={() => setPresetId(option.id)}
                className="mt-1"
              />
              <span>
                {option.label}
                {option.requiresEab && (
                  <span title="Needs External Account Binding credentials from the CA" className="ml-1.5 text-xs text-amber-700 dark:text-amber-300">
                    EAB
                  </span>
                )}
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">{option.note}</span>
              </span>
            </label>
          ),
        )}
      </fieldset>

      {isCustom ? (
        <>
          <Field
            id="directoryUrl"
            label="Directory URL"
            hint="For example https://ca.internal:9000/acme/acme/directory (step-ca) or a Pebble test CA."
            errors={errors.directoryUrl}
          >
            <div className="flex gap-2">
              <Input
                id="directoryUrl"
                type="url"
                required
                hasHint
                value={customUrl}
                onChange={(event) => setCustomUrl(event.target.value)}
                onBlur={() => lookUp()}
                placeholder="https://…/directory"
                errors={errors.directoryUrl}
              />
              <Button type="button" variant="secondary" onClick={() => lookUp()} disabled={!customUrl || isLookingUp}>
                Check directory
              </Button>
            </div>
          </Field>
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
              onBlur={() => customUrl && lookUp()}
              placeholder="-----BEGIN CERTIFICATE-----"
              errors={errors.caBundlePem}
              className="text-xs"
            />
          </Field>
          <CheckboxField
            name="privateNetwork"
            label={ACCOUNT_PRIVATE_NETWORK_LABEL}
            hint={
              privateNetwork
                ? ACCOUNT_PRIVATE_NETWORK_NOTE
                : "Leave it off for a CA on the internet: CertDeck then connects to public addresses over https only, never to this machine, the LAN or a cloud metadata address."
            }
            isHintWarning={privateNetwork}
            defaultChecked={submittedPrivate}
            onChange={(event) => {
              setPrivateNetwork(event.target.checked);
              if (customUrl) lookUp(event.target.checked);
            }}
          />
        </>
      ) : (
        <>
          <input type="hidden" name="directoryUrl" value={directoryUrl} />
          <p className="break-all font-mono text-xs text-zinc-500 dark:text-zinc-400">{directoryUrl}</p>
          <FieldErrors id="directoryUrl-error" errors={errors.directoryUrl} />
        </>
      )}

      <div aria-live="polite" className="rounded-md bg-zinc-50 px-3 py-2.5 text-sm dark:bg-zinc-950">
        {isLookingUp ? (
          <p className="text-zinc-500">Reading the directory…</p>
        ) : lookupResult && !lookupResult.ok ? (
          <p className="text-red-600 dark:text-red-400">CA unreachable: {lookupResult.error}</p>
        ) : info ? (
          <div className="space-y-1">
            <p>
              Terms of service: <TermsOfServiceLink url={info.termsOfService} />
            </p>
            {info.externalAccountRequired && (
              <p className="text-amber-700 dark:text-amber-300">This CA requires External Account Binding: fill in the EAB fields below.</p>
            )}
          </div>
        ) : (
          <p className="text-zinc-500">Enter the directory URL to see the CA&apos;s terms of service.</p>
        )}
      </div>

      {needsEab ? (
        <fieldset className="space-y-2 rounded-md border border-amber-300 px-3 py-3 dark:border-amber-500/40">
          <legend className="px-1 text-sm font-medium">External Account Binding (required by this CA)</legend>
          {eabFields}
        </fieldset>
      ) : (
        <details className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" open={hasEabErrors || undefined}>
          <summary className="cursor-pointer text-sm font-medium">External Account Binding (only if the CA gave you a key ID and HMAC key)</summary>
          <div className="mt-3">{eabFields}</div>
        </details>
      )}

      <Field id="email" label="Contact e-mail" hint="The CA writes here about problems with the account." errors={errors.email}>
        <Input id="email" type="email" required hasHint autoComplete="email" defaultValue={values.email} errors={errors.email} />
      </Field>
      <Field id="label" label="Name in CertDeck (optional)" errors={errors.label}>
        <Input id="label" defaultValue={values.label} placeholder="e.g. Let's Encrypt (ops)" errors={errors.label} />
      </Field>

      <div>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="termsAgreed" className="mt-0.5" aria-describedby={errors.termsAgreed ? "termsAgreed-error" : undefined} />
          <span>I have read and agree to the CA&apos;s terms of service{info?.termsOfService ? " (linked above)" : ""}.</span>
        </label>
        <FieldErrors id="termsAgreed-error" errors={errors.termsAgreed} />
      </div>
      <FormError message={state.formError} />
      <SubmitButton pendingLabel="Registering…">Register account</SubmitButton>
    </form>
  );
}
