"use client";

import { useActionState, useState } from "react";
import { Mail, Webhook } from "lucide-react";
import { SubmitBar } from "@/components/save-bar";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field, FieldErrors, Input, Options, Select } from "@/components/ui/form-field";
import type { ChannelType } from "@/lib/domain/notifications/channel-config";
import type { FormState } from "@/lib/web/form-state";
import { createChannelAction } from "./actions";
import { FormError } from "@/components/form-error";
import { CHANNEL_PRIVATE_NETWORK_LABEL } from "@/lib/domain/network/private-network-words";

const TYPES: Array<{ id: ChannelType; label: string; icon: typeof Mail }> = [
  { id: "email", label: "E-mail", icon: Mail },
  { id: "webhook", label: "Webhook", icon: Webhook },
];

/** The encryption choices come from the page, so zod (in channel-config) stays out of the browser bundle. */
export function ChannelForm({ securityOptions }: { securityOptions: Array<{ id: string; label: string }> }) {
  const [state, formAction] = useActionState<FormState & { createdAt?: number }, FormData>(createChannelAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [type, setType] = useState<ChannelType>(values.type === "webhook" ? "webhook" : "email");

  return (
    <form action={formAction} className="space-y-4" noValidate>
      {/* The submitted type: a form reset after a successful add puts radios back to their
          initial state in the DOM, while the switch (React state) stays where the user left it. */}
      <input type="hidden" name="type" value={type} />
      <fieldset>
        <legend className="mb-1.5 block text-sm font-medium">Send by</legend>
        <div className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
          {TYPES.map(({ id, label, icon: Icon }) => (
            <label
              key={id}
              className={`relative flex cursor-pointer items-center gap-1.5 rounded px-3 py-1 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-600/40 ${
                type === id
                  ? "bg-zinc-200/70 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-white"
                  : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"
              }`}
            >
              <input type="radio" name="typeChoice" value={id} checked={type === id} onChange={() => setType(id)} className="sr-only" />
              <Icon aria-hidden className="h-4 w-4" />
              {label}
            </label>
          ))}
        </div>
        <FieldErrors id="type-error" errors={errors.type} />
      </fieldset>

      {type === "email" ? (
        <>
          <div className="grid gap-4 sm:grid-cols-[1fr_6rem]">
            <Field id="host" label="SMTP server" errors={errors.host}>
              <Input id="host" required autoComplete="off" placeholder="smtp.example.com" defaultValue={values.host} errors={errors.host} />
            </Field>
            <Field id="port" label="Port" errors={errors.port}>
              <Input id="port" inputMode="numeric" placeholder="587" defaultValue={values.port} errors={errors.port} />
            </Field>
          </div>
          <Field id="security" label="Encryption" errors={errors.security}>
            <Select id="security" defaultValue={values.security ?? "starttls"} errors={errors.security}>
              <Options choices={securityOptions} />
            </Select>
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="username" label="User name (optional)" errors={errors.username}>
              <Input id="username" autoComplete="off" defaultValue={values.username} errors={errors.username} />
            </Field>
            <Field id="password" label="Password" errors={errors.password}>
              <Input id="password" type="password" autoComplete="new-password" errors={errors.password} />
            </Field>
          </div>
          <Field id="from" label="From" hint="An address the SMTP server lets you send as." errors={errors.from}>
            <Input id="from" type="email" required hasHint placeholder="certdeck@example.com" defaultValue={values.from} errors={errors.from} />
          </Field>
          <Field id="to" label="To" hint="One or more addresses, separated by commas." errors={errors.to}>
            <Input id="to" required hasHint placeholder="ops@example.com, oncall@example.com" defaultValue={values.to} errors={errors.to} />
          </Field>
        </>
      ) : (
        <Field
          id="url"
          label="Webhook URL"
          hint="CertDeck POSTs JSON with a top-level text field, which Slack and Mattermost incoming webhooks display. The URL is stored encrypted and never shown again."
          errors={errors.url}
        >
          <Input
            id="url"
            type="url"
            required
            hasHint
            autoComplete="off"
            placeholder="https://hooks.slack.com/services/…"
            defaultValue={values.url}
            errors={errors.url}
          />
        </Field>
      )}

      <CheckboxField
        name="privateNetwork"
        label={CHANNEL_PRIVATE_NETWORK_LABEL}
        hint={
          type === "email"
            ? "For a relay on this machine or a mail server on the LAN. Otherwise CertDeck connects to public addresses only."
            : "For a chat server on the LAN (Mattermost on an internal address); http:// is then allowed too. Otherwise only https:// URLs on public addresses."
        }
        defaultChecked={values.privateNetwork === "on"}
      />

      <Field id="name" label="Name in CertDeck (optional)" errors={errors.name}>
        <Input id="name" defaultValue={values.name} placeholder={type === "email" ? "e.g. Ops mailbox" : "e.g. #ops on Slack"} errors={errors.name} />
      </Field>

      <FormError message={state.formError} />
      <SubmitBar label="Add channel" pendingLabel="Adding…" status={state.createdAt ? "Channel added. Send a test to check it." : null} />
    </form>
  );
}
