import type { Metadata } from "next";
import { SettingsPageHeader } from "@/components/settings-page-header";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { StatusBadge, type StatusBadges } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Cell, Table } from "@/components/ui/table";
import { requireUser } from "@/lib/web/session";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { SMTP_SECURITY } from "@/lib/domain/notifications/channel-config";
import { EVENT_LABELS, type NotificationEventType } from "@/lib/domain/notifications/events";
import { listNotificationChannels, listRecentDeliveries, RECENT_DELIVERIES } from "@/lib/domain/notifications/queries";
import { choicesOf } from "@/lib/core/keys-of";
import { ChannelForm } from "./channel-form";
import { ChannelRow } from "./channel-row";

export const metadata: Metadata = { title: SETTINGS_SECTIONS.notifications.title };

const DELIVERY_STATUS: StatusBadges = {
  sent: ["green", "Sent"],
  failed: ["red", "Failed"],
  sending: ["blue", "Sending…"],
};

export default async function NotificationsPage() {
  await requireUser();
  const [channels, deliveries] = await Promise.all([listNotificationChannels(), listRecentDeliveries()]);
  return (
    <>
      <SettingsPageHeader section="notifications" />
      <div className="grid gap-5 lg:grid-cols-5">
        <Card className="self-start lg:col-span-3">
          <CardHeader title="Channels" description="Every enabled channel receives every notification." />
          {channels.length === 0 ? (
            <EmptyState>No channel yet: add one with the form. Until then, problems only show on this dashboard.</EmptyState>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {channels.map((channel) => (
                <ChannelRow key={channel.id} channel={channel} />
              ))}
            </ul>
          )}
        </Card>
        <Card className="self-start lg:col-span-2">
          <CardHeader title="Add a channel" />
          <div className="p-4">
            <ChannelForm securityOptions={choicesOf(SMTP_SECURITY)} />
          </div>
        </Card>
      </div>

      <Card className="mt-5">
        <CardHeader title="Recent deliveries" description={`The last ${RECENT_DELIVERIES}. Each warning goes out once per channel; tests are not listed.`} />
        {deliveries.length === 0 ? (
          <EmptyState>Nothing sent yet.</EmptyState>
        ) : (
          <Table columns={[{ label: "When" }, { label: "Channel" }, { label: "Event" }, { label: "Subject" }, { label: "Result" }]}>
            {deliveries.map((delivery) => (
              <tr key={delivery.id} className="align-top">
                <Cell className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(delivery.createdAt, displayTimeZone())}</Cell>
                <Cell>{delivery.channel.name}</Cell>
                <Cell className="whitespace-nowrap">{EVENT_LABELS[delivery.event as NotificationEventType] ?? delivery.event}</Cell>
                <Cell>{delivery.subject}</Cell>
                <Cell>
                  <StatusBadge status={delivery.status} badges={DELIVERY_STATUS} />
                  {delivery.error && <p className="mt-1 max-w-md text-xs text-red-600 dark:text-red-400">{delivery.error}</p>}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
