"use client";

import { useActionState, useState, useSyncExternalStore } from "react";
import { MonitorDown } from "lucide-react";
import { CopyButton } from "@/components/copy-button";
import { FormError } from "@/components/form-error";
import { ScopeFieldset, type ScopeOption } from "@/components/scope-fieldset";
import { SubmitButton } from "@/components/submit-button";
import { TokenShownOnce } from "@/components/token-shown-once";
import { InputField, type FormView } from "@/components/ui/form-field";
import { envFileContent, installCommand } from "@/lib/domain/deploy/pull/install-snippet";
import { addPullerAction, type AddPullerState } from "./puller-actions";

/** The dashboard's address as this browser reaches it (the agent uses the same one). */
function useOrigin(): string {
  return useSyncExternalStore(
    () => () => {},
    () => window.location.origin,
    () => "https://certdeck.example.com",
  );
}

/**
 * Name, scope and reload command of a new puller; the token is shown once, above the form, with
 * the one-line install for the machine and the env file for a manual setup.
 */
export function AddPullerForm({ certificateId, scopes }: { certificateId: string; scopes: ScopeOption[] }) {
  const [state, formAction] = useActionState<AddPullerState, FormData>(addPullerAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const form: FormView = { values, errors };
  const [scope, setScope] = useState(values.scope ?? "certificate-and-key");
  const origin = useOrigin();
  const created = state.created;
  const snippet = created ? { origin, token: created.token, destDir: created.destDir, reloadCommand: created.reloadCommand } : null;
  return (
    <div className="space-y-4">
      {created && snippet && (
        <TokenShownOnce
          token={created.token}
          tokenLabel="The new pull token"
          message={
            <>
              Puller “{created.name}” added ({created.scopeLabel}). Copy its token now: CertDeck keeps only a hash of it and cannot show it again.
            </>
          }
        >
          <div>
            <p className="text-emerald-900 dark:text-emerald-200">
              On the machine, as a user who may sudo: this installs <code className="text-xs">/usr/local/bin/certdeck-pull</code>, its env file{" "}
              <code className="text-xs">/etc/certdeck-pull/{created.name}.env</code> and the systemd timer{" "}
              <code className="text-xs">certdeck-pull@{created.name}.timer</code> (every 15 minutes), then fetches once. Change DEST_DIR and RELOAD_COMMAND as
              the machine needs.
            </p>
            <div className="mt-1.5 flex items-start gap-2">
              <pre
                aria-label="Install command"
                className="min-w-0 flex-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100"
              >
                {installCommand(snippet)}
              </pre>
              <CopyButton text={installCommand(snippet)} label="Copy the install command" />
            </div>
          </div>
          <details>
            <summary className="cursor-pointer text-emerald-900 dark:text-emerald-200">Set it up by hand instead</summary>
            <p className="mt-1.5 text-xs text-zinc-600 dark:text-zinc-400">
              Copy <code>agent/certdeck-pull</code> to <code>/usr/local/bin/</code> and the two <code>agent/certdeck-pull@.*</code> units to{" "}
              <code>/etc/systemd/system/</code>, write this to <code>/etc/certdeck-pull/{created.name}.env</code> (mode 0600), then{" "}
              <code>systemctl enable --now certdeck-pull@{created.name}.timer</code>. agent/README.md has the details.
            </p>
            <div className="mt-1.5 flex items-start gap-2">
              <pre
                aria-label="Env file"
                className="min-w-0 flex-1 overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100"
              >
                {envFileContent({ ...snippet, certificateName: created.certificateName })}
              </pre>
              <CopyButton text={envFileContent({ ...snippet, certificateName: created.certificateName })} label="Copy the env file" />
            </div>
          </details>
        </TokenShownOnce>
      )}
      <form action={formAction} className="space-y-4" noValidate>
        <input type="hidden" name="certificateId" value={certificateId} />
        <FormError message={state.formError} />
        <InputField
          id="puller-name"
          name="name"
          label="Machine"
          hint="Names the agent's files there: /etc/certdeck-pull/<name>.env. Unique among deploy targets."
          form={form}
          required
          maxLength={64}
          autoComplete="off"
          placeholder="web1"
        />
        <ScopeFieldset legend="May fetch" scopes={scopes} selected={scope} onSelect={setScope} errors={errors.scope} />
        <InputField
          id="puller-reload"
          name="reloadHint"
          label="Reload command (optional)"
          hint="Suggested for the agent's RELOAD_COMMAND; runs on the machine after new files are in place."
          form={form}
          maxLength={500}
          autoComplete="off"
          placeholder="systemctl reload nginx"
        />
        {scope === "certificate-and-key" && (
          <InputField
            id="puller-password"
            name="password"
            label="Your password"
            hint="This token can fetch the private key, so adding it needs your password, as downloading the key does."
            form={{ values: {}, errors }} // never filled back in
            type="password"
            required
            autoComplete="current-password"
          />
        )}
        <SubmitButton pendingLabel="Adding…" icon={MonitorDown}>
          Add puller
        </SubmitButton>
      </form>
    </div>
  );
}
