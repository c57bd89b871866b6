import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { encryptSecret } from "@/lib/data/secret-box";
import { defineCommand } from "@/lib/domain/command/define-command";
import { channelConfigSchema, createChannelSchema } from "@/lib/domain/notifications/channel-config";
import { checkChannelTarget } from "@/lib/domain/notifications/channel-network";
import { decryptSecret } from "@/lib/data/secret-box";
import { sendTestNotification } from "@/lib/domain/notifications/send-notification";

/**
 * Notification channels (Settings → Notifications): add, enable or disable, delete, test. A
 * channel's settings (SMTP password, webhook URL with its token) are stored encrypted; the audit
 * log gets its name and type only. A webhook URL or SMTP server CertDeck does not connect to (a
 * metadata address, a loopback or private one without "on my private network", an http webhook
 * …; lib/domain/notifications/channel-network.ts) is refused before anything is stored.
 */

const CHANNEL_GONE = "That channel does not exist any more.";

/** The channel a command works on, with the columns `select` names, or AppError("not_found"). */
async function channelOrNotFound<Select extends Prisma.NotificationChannelSelect>(id: string, select: Select) {
  const channel = await db.notificationChannel.findUnique({ where: { id }, select });
  if (!channel) throw new AppError("not_found", CHANNEL_GONE);
  return channel;
}

export const addNotificationChannel = defineCommand(
  { name: "channel.add", permission: "write", does: "change notification channels", input: createChannelSchema },
  async ({ name, config }, context) => {
    checkChannelTarget(config);
    const channel = await db.notificationChannel.create({
      data: { type: config.type, name, configEnc: encryptSecret(JSON.stringify(config)) },
      select: { id: true },
    });
    await context.audit({ target: name, detail: { type: config.type, ...(config.privateNetwork ? { privateNetwork: true } : {}) } });
    return { id: channel.id, name };
  },
);

/**
 * Turns "This webhook or SMTP server is on my private network or this machine" on or off for a
 * channel. Off is refused while the channel's URL or server needs it.
 */
export const setNotificationChannelNetwork = defineCommand(
  { name: "channel.network", permission: "write", does: "change notification channels", input: z.object({ id: idSchema, privateNetwork: z.boolean() }) },
  async ({ id, privateNetwork }, context) => {
    const channel = await channelOrNotFound(id, { name: true, configEnc: true });
    let config;
    try {
      config = channelConfigSchema.parse(JSON.parse(decryptSecret(channel.configEnc)));
    } catch {
      throw new AppError(
        "conflict",
        "The channel's settings cannot be read (was the data directory's secret key replaced?). Delete the channel and add it again.",
      );
    }
    if ((config.privateNetwork === true) === privateNetwork) return { privateNetwork };
    const changed = { ...config, privateNetwork };
    try {
      checkChannelTarget(changed);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError("conflict", `${channel.name} needs it: ${error.userMessage}`, { cause: error });
    }
    await db.notificationChannel.updateMany({ where: { id }, data: { configEnc: encryptSecret(JSON.stringify(changed)) } });
    await context.audit({ target: channel.name, detail: { privateNetwork } });
    return { privateNetwork };
  },
);

/** Pauses or resumes a channel; audited only when it changes. */
export const setNotificationChannelEnabled = defineCommand(
  { name: "channel.enable", permission: "write", does: "change notification channels", input: z.object({ id: idSchema, isEnabled: z.boolean() }) },
  async ({ id, isEnabled }, context) => {
    const channel = await channelOrNotFound(id, { name: true, isEnabled: true });
    await db.notificationChannel.updateMany({ where: { id }, data: { isEnabled } });
    if (channel.isEnabled !== isEnabled) await context.audit({ action: isEnabled ? "channel.enable" : "channel.disable", target: channel.name });
  },
);

/** Deletes a channel and, with it, its delivery history. */
export const deleteNotificationChannel = defineCommand(
  { name: "channel.delete", permission: "write", does: "change notification channels", input: z.object({ id: idSchema }) },
  async ({ id }, context) => {
    const channel = await db.notificationChannel.findUnique({ where: { id }, select: { name: true, type: true } });
    const { count } = await db.notificationChannel.deleteMany({ where: { id } });
    if (count === 0) throw new AppError("not_found", CHANNEL_GONE);
    await context.audit({ target: channel?.name ?? id, detail: channel ? { type: channel.type } : undefined });
  },
);

/**
 * Sends a test message through one channel (disabled ones too) and says, in plain words, whether
 * it went out: a refusal by the SMTP server or the webhook is the answer, not an error of this
 * command. Not audited, and not a delivery.
 */
export const testNotificationChannel = defineCommand(
  { name: "channel.test", permission: "write", does: "send test notifications", input: z.object({ id: idSchema }) },
  async ({ id }) => sendTestNotification(id),
);
