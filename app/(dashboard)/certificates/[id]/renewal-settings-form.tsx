"use client";

import { useState } from "react";
import { SaveForm } from "@/components/save-form";
import { CollapsibleCard } from "@/components/ui/collapsible-card";
import { FieldErrors, Input, NumberField, type FormView } from "@/components/ui/form-field";
import type { RenewalSettingsFormValues } from "@/lib/domain/deploy/effective-settings";
import { HOOK_KINDS, type HookKind } from "@/lib/domain/deploy/hook-presets";
import { HookCommandField } from "../../settings/renewals/hook-command-field";
import { saveRenewalSettingsAction } from "./settings-actions";
import { RadioChoices } from "@/components/ui/radio-cards";

/** isUploaded: a certificate CertDeck never renews; only its deploy settings apply. */
export type RenewalSettingsFormProps = RenewalSettingsFormValues & { isUploaded?: boolean };

const HOOKS: HookKind[] = ["preHook", "postHook", "deployHook"];

/**
 * One certificate's renewal settings: when to renew, its maintenance window and its hooks, each
 * either the global setting or its own. Props come from getRenewalSettingsFormValues().
 */
export function RenewalSettingsForm({ isUploaded = false, ...settings }: RenewalSettingsFormProps) {
  return (
    <CollapsibleCard title={isUploaded ? "Deploy" : "Renewal and hooks"} description={summarize(settings.current, isUploaded)}>
      <SaveForm action={saveRenewalSettingsAction} saveLabel={isUploaded ? "Save deploy settings" : "Save renewal settings"} className="space-y-5 p-4">
        {(form) => <RenewalSettingsFields form={form} isUploaded={isUploaded} {...settings} />}
      </SaveForm>
    </CollapsibleCard>
  );
}

/** The form's fields, given the last answer; each "global or its own" choice is state here, as it decides which inputs show. */
function RenewalSettingsFields({
  form,
  certificateId,
  current,
  global,
  timeZone,
  isUploaded,
}: RenewalSettingsFormValues & { form: FormView; isUploaded: boolean }) {
  const { values, errors } = form;
  const [windowMode, setWindowMode] = useState(
    values.windowMode ?? (current.maintenanceWindow === null ? "global" : current.maintenanceWindow === "" ? "none" : "custom"),
  );
  const [hookModes, setHookModes] = useState<Record<HookKind, string>>(() => ({
    preHook: values.preHookMode ?? (current.preHook === null ? "global" : "custom"),
    postHook: values.postHookMode ?? (current.postHook === null ? "global" : "custom"),
    deployHook: values.deployHookMode ?? (current.deployHook === null ? "global" : "custom"),
  }));

  return (
    <>
      <input type="hidden" name="certificateId" value={certificateId} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Overrides for this certificate; times are server time ({timeZone}).</p>

      {!isUploaded && (
        <NumberField
          id="renewBeforeDays"
          label="Renew this many days before expiry"
          hint="Empty: automatic (the CA's suggested window when it offers one, else when a third of the lifetime is left)."
          form={form}
          placeholder="automatic"
          defaultValue={current.renewBeforeDays ?? ""}
        />
      )}

      <fieldset className="space-y-2">
        <legend className="mb-1.5 text-sm font-medium">Maintenance window for the deploy hook</legend>
        <RadioChoices
          name="windowMode"
          choices={[
            {
              id: "global",
              label: (
                <>
                  Use the global window <span className="text-zinc-500 dark:text-zinc-400">({global.maintenanceWindowDescription})</span>
                </>
              ),
            },
            { id: "none", label: "Any time: deploy as soon as a new version is written" },
            { id: "custom", label: "Its own window" },
          ]}
          value={windowMode}
          onChange={setWindowMode}
        />
        <div className={windowMode === "custom" ? "pl-6" : "hidden"}>
          <Input
            id="maintenanceWindow"
            aria-label="This certificate's maintenance window"
            hasHint
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            placeholder="Mon-Fri 01:00-03:00"
            className="font-mono"
            defaultValue={values.maintenanceWindow ?? current.maintenanceWindow ?? ""}
            errors={errors.maintenanceWindow}
          />
          <p id="maintenanceWindow-hint" className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">
            Days and hours such as <code>Mon,Thu 22:00-02:00</code>, or cron such as <code>0 3 * * 1 for 90m</code>.
          </p>
          <FieldErrors id="maintenanceWindow-error" errors={errors.maintenanceWindow} />
        </div>
      </fieldset>

      {/* The pre- and post-hooks run around a renewal, which an uploaded certificate never has. */}
      {HOOKS.filter((kind) => !isUploaded || kind === "deployHook").map((kind) => {
        const mode = hookModes[kind];
        const setMode = (next: string) => setHookModes((modes) => ({ ...modes, [kind]: next }));
        return (
          <fieldset key={kind} className="space-y-2">
            <legend className="mb-1.5 text-sm font-medium">{HOOK_KINDS[kind].label}</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              <RadioChoices
                name={`${kind}Mode`}
                choices={[
                  {
                    id: "global",
                    label: (
                      <>
                        Use the global default:{" "}
                        {global[kind] ? (
                          <code className="break-all text-xs">{global[kind]}</code>
                        ) : (
                          <span className="text-zinc-500 dark:text-zinc-400">none</span>
                        )}
                      </>
                    ),
                  },
                  { id: "custom", label: "A command for this certificate (empty: none)" },
                ]}
                value={mode}
                onChange={setMode}
              />
            </div>
            <div className={mode === "custom" ? "" : "hidden"}>
              <HookCommandField
                id={kind}
                label={`${HOOK_KINDS[kind].label} command`}
                defaultValue={values[kind] ?? current[kind] ?? ""}
                errors={errors[kind]}
              />
            </div>
          </fieldset>
        );
      })}
    </>
  );
}

/** The closed section's one line: what this certificate does differently, if anything. */
function summarize(current: RenewalSettingsFormProps["current"], isUploaded: boolean): string {
  const parts = [
    ...(isUploaded ? [] : [current.renewBeforeDays === null ? "renews automatically" : `renews ${current.renewBeforeDays} days before expiry`]),
    current.maintenanceWindow === null ? "global window" : current.maintenanceWindow === "" ? "deploys any time" : `own window ${current.maintenanceWindow}`,
  ];
  const ownHooks = HOOKS.filter((kind) => current[kind] !== null).map((kind) => HOOK_KINDS[kind].label.toLowerCase());
  parts.push(ownHooks.length === 0 ? "global hooks" : `own ${ownHooks.join(", ")}`);
  return parts.join(" · ");
}
