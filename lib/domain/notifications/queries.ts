import "server-only";
import { db } from "@/lib/data/client";
import { decryptSecret } from "@/lib/data/secret-box";
import { channelConfigSchema, describeChannelTarget, SMTP_SECURITY, type ChannelType, type SmtpSecurity } from "@/lib/domain/notifications/channel-config";

/** What the settings page shows of a channel: no password, no webhook path or token. */
export interface NotificationChannelRow {
  id: string;
  type: ChannelType;
  name: string;
  isEnabled: boolean;
  /** "ops@example.com via smtp.example.com:587" or "https://hooks.slack.com/…" */
  target: string;
  /** For e-mail: the sender and how the connection is encrypted; null for webhooks. */
  /** securityLabel: how the connection is encrypted, in a word or two ("STARTTLS"). */
  email: { from: string; security: SmtpSecurity; securityLabel: string; hasLogin: boolean } | null;
  /** "On my private network or this machine" (lib/domain/notifications/channel-network.ts). */
  privateNetwork: boolean;
  isUnreadable: boolean;
  createdAt: Date;
}

export async function listNotificationChannels(): Promise<NotificationChannelRow[]> {
  const channels = await db.notificationChannel.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, type: true, name: true, isEnabled: true, configEnc: true, createdAt: true },
  });
  return channels.map(({ configEnc, ...channel }) => {
    const type: ChannelType = channel.type === "webhook" ? "webhook" : "email";
    try {
      const config = channelConfigSchema.parse(JSON.parse(decryptSecret(configEnc)));
      return {
        ...channel,
        type,
        target: describeChannelTarget(config),
        email:
          config.type === "email"
            ? { from: config.from, security: config.security, securityLabel: SMTP_SECURITY[config.security].short, hasLogin: Boolean(config.username) }
            : null,
        privateNetwork: config.privateNetwork === true,
        isUnreadable: false,
      };
    } catch {
      return { ...channel, type, target: "settings unreadable", email: null, privateNetwork: false, isUnreadable: true };
    }
  });
}

export const RECENT_DELIVERIES = 20;

export async function listRecentDeliveries(limit = RECENT_DELIVERIES) {
  return db.notificationDelivery.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      event: true,
      certificateId: true,
      subject: true,
      status: true,
      error: true,
      createdAt: true,
      channel: { select: { name: true, type: true } },
    },
  });
}
export type NotificationDeliveryRow = Awaited<ReturnType<typeof listRecentDeliveries>>[number];
