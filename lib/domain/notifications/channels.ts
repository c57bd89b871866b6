import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { encryptSecret } from "@/lib/data/secret-box";
import { defineCommand } from "@/lib/domain/command/define-command";
import { createChannelSchema } from "@/lib/domain/notifications/channel-config";
import { sendTestNotification } from "@/lib/domain/notifications/send-notification";

/**
 * Notification channels (Settings → Notifications): add, enable or disable, delete, test. A
 * channel's settings (SMTP password, webhook URL with its token) are stored encrypted; the audit
 * log gets its name and type only.
 */

export const addNotificationChannel = defineCommand({
  name: "channel.add",
  permission: "write",
  does: "change notification channels",
  input: createChannelSchema,
  async run({ name, config }, context) {
    const channel = await db.notificationChannel.create({
      data: { type: config.type, name, configEnc: encryptSecret(JSON.stringify(config)) },
      select: { id: true },
    });
    await context.audit({ target: name, detail: { type: config.type } });
    return { id: channel.id, name };
  },
});

/** Pauses or resumes a channel; audited only when it changes. */
export const setNotificationChannelEnabled = defineCommand({
  name: "channel.enable",
  permission: "write",
  does: "change notification channels",
  input: z.object({ id: idSchema, isEnabled: z.boolean() }),
  async run({ id, isEnabled }, context) {
    const channel = await db.notificationChannel.findUnique({ where: { id }, select: { name: true, isEnabled: true } });
    if (!channel) throw new AppError("not_found", "That channel does not exist any more.");
    await db.notificationChannel.updateMany({ where: { id }, data: { isEnabled } });
    if (channel.isEnabled !== isEnabled) await context.audit({ action: isEnabled ? "channel.enable" : "channel.disable", target: channel.name });
  },
});

/** Deletes a channel and, with it, its delivery history. */
export const deleteNotificationChannel = defineCommand({
  name: "channel.delete",
  permission: "write",
  does: "change notification channels",
  input: z.object({ id: idSchema }),
  async run({ id }, context) {
    const channel = await db.notificationChannel.findUnique({ where: { id }, select: { name: true, type: true } });
    const { count } = await db.notificationChannel.deleteMany({ where: { id } });
    if (count === 0) throw new AppError("not_found", "That channel does not exist any more.");
    await context.audit({ target: channel?.name ?? id, detail: channel ? { type: channel.type } : undefined });
  },
});

/**
 * Sends a test message through one channel (disabled ones too) and says, in plain words, whether
 * it went out: a refusal by the SMTP server or the webhook is the answer, not an error of this
 * command. Not audited, and not a delivery.
 */
export const testNotificationChannel = defineCommand({
  name: "channel.test",
  permission: "write",
  does: "send test notifications",
  input: z.object({ id: idSchema }),
  run: async ({ id }) => sendTestNotification(id),
});
