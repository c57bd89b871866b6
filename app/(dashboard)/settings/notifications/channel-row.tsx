"use client";

import { useActionState } from "react";
import { Mail, Send, Webhook } from "lucide-react";
import { ActionButton } from "@/components/action-button";
import { DeleteDialog } from "@/components/delete-dialog";
import { Badge } from "@/components/ui/badge";
import type { NotificationChannelRow } from "@/lib/domain/notifications/queries";
import type { FormState } from "@/lib/web/form-state";
import { deleteChannelAction, setChannelEnabledAction, setChannelNetworkAction, testChannelAction, type TestChannelState } from "./actions";

/** One channel in the list, with the result of its last test below it. */
export function ChannelRow({ channel }: { channel: NotificationChannelRow }) {
  const [test, testAction] = useActionState<TestChannelState, FormData>(testChannelAction, {});
  const [network, networkAction] = useActionState<FormState, FormData>(setChannelNetworkAction, {});
  const Icon = channel.type === "email" ? Mail : Webhook;
  return (
    <li className="px-4 py-3">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="flex min-w-0 flex-1 basis-64 gap-2.5">
          <Icon aria-label={channel.type === "email" ? "E-mail" : "Webhook"} className="mt-0.5 h-4 w-4 shrink-0 text-zinc-400" />
          <div className="min-w-0">
            <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
              {channel.name}
              {channel.isUnreadable ? (
                <Badge tone="red">Unreadable</Badge>
              ) : channel.isEnabled ? (
                <Badge tone="green">Enabled</Badge>
              ) : (
                <Badge tone="gray">Disabled</Badge>
              )}
              {channel.privateNetwork && <Badge tone="amber">Private network</Badge>}
            </p>
            <p className="mt-0.5 break-all font-mono text-xs text-zinc-600 dark:text-zinc-300">{channel.target}</p>
            {channel.email && (
              <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                from {channel.email.from} · {channel.email.securityLabel}
                {channel.email.hasLogin ? " · with login" : ""}
              </p>
            )}
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-1.5">
          <ActionButton
            action={testAction}
            fields={{ channelId: channel.id }}
            pendingLabel="Sending…"
            label={`Send a test through ${channel.name}`}
            icon={Send}
          >
            Send test
          </ActionButton>
          {!channel.isUnreadable && (
            <ActionButton
              action={networkAction}
              fields={{ channelId: channel.id, privateNetwork: channel.privateNetwork ? "false" : "true" }}
              pendingLabel="Saving…"
              label={`${channel.privateNetwork ? "Public addresses only for" : "Allow the private network for"} ${channel.name}`}
            >
              {channel.privateNetwork ? "Public only" : "Private network"}
            </ActionButton>
          )}
          <ActionButton
            action={setChannelEnabledAction}
            fields={{ channelId: channel.id, isEnabled: channel.isEnabled ? "false" : "true" }}
            pendingLabel={channel.isEnabled ? "Disabling…" : "Enabling…"}
            label={`${channel.isEnabled ? "Disable" : "Enable"} ${channel.name}`}
          >
            {channel.isEnabled ? "Disable" : "Enable"}
          </ActionButton>
          <DeleteDialog name={channel.name} confirmLabel="Delete channel" action={deleteChannelAction} fields={{ channelId: channel.id }}>
            CertDeck stops sending to it and forgets its settings and its delivery history. To pause it instead, disable it.
          </DeleteDialog>
        </div>
      </div>
      {network.formError && (
        <p role="alert" className="mt-2 pl-6.5 text-sm text-red-600 dark:text-red-400">
          {network.formError}
        </p>
      )}
      {test.result &&
        (test.result.ok ? (
          <p key={test.testedAt} role="status" className="mt-2 pl-6.5 text-sm text-emerald-700 dark:text-emerald-400">
            Test sent: the {channel.type === "email" ? "SMTP server" : "webhook"} accepted it. Check that it arrived.
          </p>
        ) : (
          <p key={test.testedAt} role="alert" className="mt-2 pl-6.5 text-sm text-red-600 dark:text-red-400">
            Test failed. {test.result.error}
          </p>
        ))}
    </li>
  );
}
