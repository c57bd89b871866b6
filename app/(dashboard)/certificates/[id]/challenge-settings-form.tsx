"use client";

import { useState } from "react";
import { ChallengeMethodFields, type DnsProviderChoice } from "@/components/challenge-method-fields";
import { ProfileField, ReuseKeyField, type ProfileChoice } from "@/components/order-options-fields";
import { SaveForm, type SaveFormView } from "@/components/save-form";
import { CollapsibleCard } from "@/components/ui/collapsible-card";
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
export function ChallengeSettingsForm({ certificateId, isLocked, ...settings }: ChallengeSettingsFormProps) {
  return (
    <CollapsibleCard title="Challenge settings" description={summarize(settings.current, settings.methods, settings.dnsProviders)}>
      <SaveForm action={saveChallengeSettingsAction} saveLabel="Save challenge settings" canSave={!isLocked} className="space-y-5 p-4">
        {(form) => (
          <>
            <input type="hidden" name="certificateId" value={certificateId} />
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              Used from the next order on: the next renewal, or the Renew (Try again) button at the top. The names stay as they are.
            </p>
            <fieldset disabled={isLocked} className="space-y-5 disabled:opacity-60">
              <ChallengeSettingsFields form={form} {...settings} />
            </fieldset>
            {isLocked && (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">A job is working on this certificate; these settings can change when it has finished.</p>
            )}
          </>
        )}
      </SaveForm>
    </CollapsibleCard>
  );
}

/** The settings' fields, given the last answer (after one, what was submitted; before, what is stored). */
function ChallengeSettingsFields({
  form,
  current,
  profiles,
  ...methodFields
}: Omit<ChallengeSettingsFormProps, "certificateId" | "isLocked"> & { form: SaveFormView }) {
  const [method, setMethod] = useState(form.values.challengeMethod ?? current.challengeMethod);
  return (
    <>
      <ChallengeMethodFields
        method={method}
        onMethodChange={setMethod}
        errors={form.errors}
        defaults={form.isAnswered ? form.values : current}
        {...methodFields}
      />
      <ProfileField profiles={profiles} defaultValue={form.values.profile ?? current.profile} errors={form.errors.profile} />
      <ReuseKeyField defaultChecked={form.isAnswered ? form.values.reuseKey === "on" : current.reuseKey} />
    </>
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
