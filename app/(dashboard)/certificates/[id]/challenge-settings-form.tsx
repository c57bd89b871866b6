"use client";

import { useActionState, useState } from "react";
import { ChallengeMethodFields, type DnsProviderChoice } from "@/components/challenge-method-fields";
import { FormError } from "@/components/form-error";
import { ProfileField, ReuseKeyField, type ProfileChoice } from "@/components/order-options-fields";
import { SaveBar } from "@/components/save-bar";
import { CollapsibleCard } from "@/components/ui/collapsible-card";
import type { FormState } from "@/lib/web/form-state";
import { saveChallengeSettingsAction } from "./settings-actions";

export interface ChallengeSettingsFormProps {
  certificateId: string;
  current: {
    challengeMethod: string;
    webrootPath: string;
    /** "name /path" lines. */
    webrootPaths: string;
    dnsProviderId: string;
    profile: string;
    reuseKey: boolean;
  };
  hasWildcard: boolean;
  /** A job is queued, running or waiting: the settings cannot change until it ends. */
  isLocked: boolean;
  methods: Array<{ id: string; label: string }>;
  dnsProviders: DnsProviderChoice[];
  profiles: ProfileChoice[];
  standalonePort: number;
  tlsAlpnPort: number;
  challengeUpstream: string;
}

/** How the CA checks control of the names, and what the next order asks for. Used from the next order on. */
export function ChallengeSettingsForm({
  certificateId,
  current,
  hasWildcard,
  isLocked,
  methods,
  dnsProviders,
  profiles,
  ...ports
}: ChallengeSettingsFormProps) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveChallengeSettingsAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values;
  const [method, setMethod] = useState(values?.challengeMethod ?? current.challengeMethod);

  return (
    <CollapsibleCard title="Challenge settings" description={summarize(current, methods, dnsProviders)}>
      <form action={formAction} className="space-y-5 p-4" noValidate>
        <input type="hidden" name="certificateId" value={certificateId} />
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Used from the next order on: the next renewal, or the Renew (Try again) button at the top. The names stay as they are.
        </p>
        <fieldset disabled={isLocked} className="space-y-5 disabled:opacity-60">
          <ChallengeMethodFields
            methods={methods}
            method={method}
            onMethodChange={setMethod}
            errors={errors}
            defaults={values ?? current}
            dnsProviders={dnsProviders}
            hasWildcard={hasWildcard}
            {...ports}
          />
          <ProfileField profiles={profiles} defaultValue={values?.profile ?? current.profile} errors={errors.profile} />
          <ReuseKeyField defaultChecked={values ? values.reuseKey === "on" : current.reuseKey} />
        </fieldset>
        {isLocked && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">A job is working on this certificate; these settings can change when it has finished.</p>
        )}
        <FormError message={state.formError} />
        {!isLocked && <SaveBar label="Save challenge settings" isSaved={Boolean(state.savedAt && !state.fieldErrors && !state.formError)} />}
      </form>
    </CollapsibleCard>
  );
}

/** The closed section's one line: the method, and what the next order asks for. */
function summarize(current: ChallengeSettingsFormProps["current"], methods: ChallengeSettingsFormProps["methods"], dnsProviders: DnsProviderChoice[]): string {
  const provider = dnsProviders.find((choice) => choice.id === current.dnsProviderId);
  return [
    methods.find((method) => method.id === current.challengeMethod)?.label ?? current.challengeMethod,
    provider ? `through ${provider.name}` : null,
    current.profile ? `profile ${current.profile}` : null,
    current.reuseKey ? "key kept on renewal" : null,
  ]
    .filter(Boolean)
    .join(" · ");
}
