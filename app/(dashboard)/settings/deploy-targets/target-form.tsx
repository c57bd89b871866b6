"use client";

import { useActionState, useState, type ReactNode } from "react";
import { FormError } from "@/components/form-error";
import { SaveOrCancel } from "@/components/save-bar";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { CodeField, Field, Input, InputField, NameField, NumberField, Textarea, type FormView } from "@/components/ui/form-field";
import { RadioCards } from "@/components/ui/radio-cards";
import type { FormState } from "@/lib/web/form-state";
import { saveDeployTargetAction } from "./actions";

export type TargetFormType = "nginx" | "ssh" | "command";

/** The defaults the fields start from (from the page, so the schemas stay out of the browser bundle). */
export interface TargetFormDefaults {
  nginxTestCommand: string;
  nginxReloadCommand: string;
  nginxVerifyAddress: string;
  sshReloadPreset: string;
  sshPort: number;
  certificateMode: string;
  keyMode: string;
  commandTimeoutSeconds: number;
  verifyTimeoutSeconds: number;
  hookTimeoutSeconds: number;
  /** "<certificates dir>/live", for the nginx snippet. */
  liveDir: string;
}

export interface TargetFormProps {
  type: TargetFormType;
  /** Absent when adding. */
  target?: { id: string; values: Record<string, string>; hasPrivateKey: boolean; keyHint?: string | null };
  defaults: TargetFormDefaults;
}

/**
 * Add or change a deploy target of one kind. Secrets are never sent back to the browser: an SSH
 * target's stored key is kept unless a new one is generated or pasted.
 */
export function TargetForm({ type, target, defaults }: TargetFormProps) {
  const [state, formAction] = useActionState<FormState, FormData>(saveDeployTargetAction, {});
  const errors = state.fieldErrors ?? {};
  const values: Record<string, string | undefined> = { ...target?.values, ...state.values };
  const form: FormView = { values, errors };
  // A box left unticked is absent from what was sent: after an error, only "on" means ticked.
  const isTicked = (name: string, initially: boolean) => (state.values || target ? values[name] === "on" : initially);

  return (
    <form action={formAction} className="space-y-5" noValidate>
      {target && <input type="hidden" name="targetId" value={target.id} />}
      <input type="hidden" name="type" value={type} />

      <NameField hint="How certificates and the job log name it, e.g. “web-1” or “nginx here”." form={form} isAdding={!target} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="isDefault" defaultChecked={isTicked("isDefault", false)} className="mt-0.5" />
        <span>
          Default target
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">Every certificate that has no targets of its own deploys here.</span>
        </span>
      </label>

      {type === "nginx" && <NginxFields form={form} defaults={defaults} />}
      {type === "ssh" && (
        <SshFields form={form} defaults={defaults} hasPrivateKey={Boolean(target?.hasPrivateKey)} keyHint={target?.keyHint ?? null} isTicked={isTicked} />
      )}
      {type === "command" && <CommandFields form={form} defaults={defaults} />}

      <FormError message={state.formError ?? errors.type?.[0]} />
      <SaveOrCancel label={target ? "Save target" : "Add target"} cancelHref={SETTINGS_SECTIONS.deployTargets.href} />
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      <legend className="pr-2 text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

/** The octal mode a written file gets (0644, 0600). */
function FileModeField({ id, label, placeholder, form }: { id: string; label: string; placeholder: string; form: FormView }) {
  return <InputField id={id} label={label} form={form} inputMode="numeric" className="max-w-28 font-mono" placeholder={placeholder} />;
}

function VerifyTimeout({ form, defaults }: { form: FormView; defaults: TargetFormDefaults }) {
  return (
    <NumberField
      id="verifyTimeoutSeconds"
      label="Verify timeout (seconds)"
      hint="How long the new certificate may take to show after the reload."
      form={form}
      placeholder={String(defaults.verifyTimeoutSeconds)}
    />
  );
}

function NginxFields({ form, defaults }: { form: FormView; defaults: TargetFormDefaults }) {
  return (
    <>
      <Section title="nginx">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          nginx reads CertDeck&apos;s own files: <code className="break-all text-xs">ssl_certificate {defaults.liveDir}/&lt;name&gt;/fullchain.pem;</code> and{" "}
          <code className="break-all text-xs">ssl_certificate_key {defaults.liveDir}/&lt;name&gt;/privkey.pem;</code>. Each deploy checks the configuration,
          reloads, and asks nginx for every name which certificate it serves; when it is not the new one, live/ goes back to the previous version and nginx is
          reloaded again.
        </p>
        <CodeField
          id="testCommand"
          label="Test command"
          hint="Must fail when nginx would refuse its configuration: then nothing is reloaded."
          form={form}
          defaultValue={defaults.nginxTestCommand}
        />
        <CodeField id="reloadCommand" label="Reload command" form={form} defaultValue={defaults.nginxReloadCommand} />
      </Section>
      <Section title="Verification">
        <CodeField
          id="verifyAddress"
          label="Verify address"
          hint="Where nginx serves these certificates over HTTPS (host:port); each name is asked with its own SNI."
          form={form}
          defaultValue={defaults.nginxVerifyAddress}
        />
        <VerifyTimeout form={form} defaults={defaults} />
      </Section>
    </>
  );
}

function SshFields({
  form,
  defaults,
  hasPrivateKey,
  keyHint,
  isTicked,
}: {
  form: FormView;
  defaults: TargetFormDefaults;
  hasPrivateKey: boolean;
  /** "ED25519 SHA256:…" of the stored key: its mask. */
  keyHint: string | null;
  isTicked: (name: string, initially: boolean) => boolean;
}) {
  const { values, errors } = form;
  const [keySource, setKeySource] = useState(values.privateKeySource ?? (hasPrivateKey ? "keep" : "generate"));
  const [host, setHost] = useState(values.host ?? "");
  const keyChoices = [
    ...(hasPrivateKey ? [{ id: "keep", label: "Keep the saved key", hint: `${keyHint ? `${keyHint}. ` : ""}Stored encrypted; never shown again.` }] : []),
    { id: "generate", label: "Generate a new key pair", hint: "ed25519; after saving, this page shows the public key to add to the user's authorized_keys." },
    { id: "paste", label: "Paste a private key", hint: "OpenSSH, PEM or PKCS#8; ed25519, ECDSA or RSA." },
  ];
  return (
    <>
      <Section title="Connection">
        <div className="grid gap-4 sm:grid-cols-[1fr_6rem]">
          <CodeField
            id="host"
            label="Host"
            hint="Name or address of the server."
            form={form}
            autoComplete="off"
            placeholder="web-1.example.com"
            onChange={(event) => setHost(event.target.value)}
          />
          <InputField id="port" label="Port" form={form} inputMode="numeric" placeholder={String(defaults.sshPort)} />
        </div>
        <CodeField
          id="username"
          label="User"
          hint="CertDeck logs in as this user with a key (never a password)."
          form={form}
          autoComplete="off"
          placeholder="deploy"
        />
        <RadioCards
          legend="Private key"
          name="privateKeySource"
          choices={keyChoices}
          value={keySource}
          onChange={setKeySource}
          errorsId="privateKeySource-error"
          errors={errors.privateKeySource}
        />
        {keySource === "paste" && (
          <>
            <Field
              id="privateKey"
              label="Private key (pasted)"
              hint={hasPrivateKey ? "Stored encrypted and never shown again. Leave it empty to keep the saved key." : "Stored encrypted and never shown again."}
              errors={errors.privateKey}
            >
              <Textarea
                id="privateKey"
                rows={6}
                hasHint
                placeholder={hasPrivateKey ? `saved: ${keyHint ?? "a key"} (leave empty to keep it)` : "-----BEGIN OPENSSH PRIVATE KEY-----"}
                errors={errors.privateKey}
              />
            </Field>
            <Field id="passphrase" label="Passphrase (if the key has one)" errors={errors.passphrase}>
              <Input id="passphrase" type="password" autoComplete="new-password" errors={errors.passphrase} />
            </Field>
          </>
        )}
      </Section>

      <Section title="Files on the host">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Written to a temporary file next to each path, then renamed into place: a reader sees the old file or the new one. Leave a path empty to skip that
          file.
        </p>
        <div className="grid gap-4 sm:grid-cols-2">
          <CodeField id="fullchainPath" label="Full chain path" placeholder="/etc/ssl/shop/fullchain.pem" form={form} />
          <CodeField id="keyPath" label="Private key path" placeholder="/etc/ssl/shop/privkey.pem" form={form} />
          <CodeField id="certPath" label="Certificate path (optional)" placeholder="/etc/ssl/shop/cert.pem" form={form} />
          <CodeField id="chainPath" label="Chain path (optional)" placeholder="/etc/ssl/shop/chain.pem" form={form} />
          <FileModeField id="certificateMode" label="Certificate file mode" placeholder={defaults.certificateMode} form={form} />
          <FileModeField id="keyMode" label="Key file mode" placeholder={defaults.keyMode} form={form} />
          <CodeField id="owner" label="Owner (optional)" hint="Default: the SSH user." form={form} autoComplete="off" />
          <CodeField id="group" label="Group (optional)" hint="E.g. ssl-cert, so the web server may read a 0640 key." form={form} autoComplete="off" />
        </div>
      </Section>

      <Section title="Reload">
        <CodeField
          id="reloadCommand"
          label="Reload command"
          hint="Runs on the host after the files are in place, through the user's login shell. Empty: none."
          form={form}
          defaultValue={defaults.sshReloadPreset}
        />
        <NumberField id="reloadTimeoutSeconds" label="Reload timeout (seconds)" form={form} placeholder={String(defaults.commandTimeoutSeconds)} />
      </Section>

      <Section title="Verification">
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="verify" defaultChecked={isTicked("verify", true)} className="mt-0.5" />
          <span>
            Verify after the reload
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">
              Ask the address, for every name, which certificate it serves: it must be the new version.
            </span>
          </span>
        </label>
        <CodeField
          id="verifyAddress"
          label="Verify address"
          hint={`Empty: ${host.trim() || "the host"}:443.`}
          form={form}
          placeholder={`${host.trim() || "host"}:443`}
        />
        <VerifyTimeout form={form} defaults={defaults} />
      </Section>
    </>
  );
}

function CommandFields({ form, defaults }: { form: FormView; defaults: TargetFormDefaults }) {
  const { values, errors } = form;
  return (
    <>
      <Section title="Command">
        <Field
          id="command"
          label="Command"
          hint="Runs with /bin/sh on this server after a new version is written, like certbot's deploy hook: RENEWED_LINEAGE is the live/<name> directory, RENEWED_DOMAINS the names."
          errors={errors.command}
        >
          <Textarea id="command" rows={3} hasHint defaultValue={values.command} errors={errors.command} placeholder="/usr/local/bin/push-certificate" />
        </Field>
        <NumberField
          id="timeoutSeconds"
          label="Timeout (seconds)"
          hint={`Empty: the hooks' timeout (${defaults.hookTimeoutSeconds} s, Settings → Renewals and hooks).`}
          form={form}
        />
      </Section>
      <Section title="Verification (optional)">
        <CodeField id="verifyAddress" label="Verify address" hint="Where the new certificate is then served (host:port). Empty: not verified." form={form} />
        <VerifyTimeout form={form} defaults={defaults} />
      </Section>
    </>
  );
}
