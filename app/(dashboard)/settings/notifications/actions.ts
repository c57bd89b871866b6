"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { channelIdSchema, createChannelSchema } from "@/lib/domain/notifications/channel-config";
import { sendTestNotification } from "@/lib/domain/notifications/send-notification";
import { encryptSecret } from "@/lib/data/secret-box";
import type { FormState } from "@/lib/web/form-state";

const PAGE = "/settings/notifications";

/** Adds an e-mail or webhook channel; its settings (password, webhook token) are stored encrypted. */
export async function createChannelAction(_previous: FormState & { createdAt?: number }, formData: FormData): Promise<FormState & { createdAt?: number }> {
  const user = await requireUser();
  const submitted = Object.fromEntries([...formData].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
  // The password never goes back to the browser, not even after a typo elsewhere.
  const values = Object.fromEntries(Object.entries(submitted).filter(([key]) => key !== "password"));
  const parsed = createChannelSchema.safeParse(submitted);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const { name, config } = parsed.data;
  await db.notificationChannel.create({
    data: { type: config.type, name, configEnc: encryptSecret(JSON.stringify(config)) },
    select: { id: true },
  });
  // The channel's name and type only: its settings hold an SMTP password or a webhook URL.
  await recordAuditEvent({ actor: user.username, action: "channel.add", target: name, detail: { type: config.type }, ip: await requestAddress() });
  revalidatePath(PAGE);
  return { createdAt: Date.now() };
}

const enabledSchema = z.object({ channelId: channelIdSchema, isEnabled: z.enum(["true", "false"]) });

export async function setChannelEnabledAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const parsed = enabledSchema.safeParse({ channelId: formData.get("channelId"), isEnabled: formData.get("isEnabled") });
  if (!parsed.success) return;
  const isEnabled = parsed.data.isEnabled === "true";
  const channel = await db.notificationChannel.findUnique({ where: { id: parsed.data.channelId }, select: { name: true, isEnabled: true } });
  if (!channel) return;
  await db.notificationChannel.updateMany({ where: { id: parsed.data.channelId }, data: { isEnabled } });
  if (channel.isEnabled !== isEnabled) {
    await recordAuditEvent({ actor: user.username, action: isEnabled ? "channel.enable" : "channel.disable", target: channel.name, ip: await requestAddress() });
  }
  revalidatePath(PAGE);
}

/** Deletes a channel and, with it, its delivery history. */
export async function deleteChannelAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const id = channelIdSchema.safeParse(formData.get("channelId"));
  if (!id.success) return { formError: "That channel does not exist." };
  const channel = await db.notificationChannel.findUnique({ where: { id: id.data }, select: { name: true, type: true } });
  const { count } = await db.notificationChannel.deleteMany({ where: { id: id.data } });
  revalidatePath(PAGE);
  if (count === 0) return { formError: "That channel does not exist any more." };
  await recordAuditEvent({ actor: user.username, action: "channel.delete", target: channel?.name ?? id.data, detail: channel ? { type: channel.type } : undefined, ip: await requestAddress() });
  return {};
}

export interface TestChannelState {
  result?: { ok: true } | { ok: false; error: string };
  testedAt?: number;
}

/** Sends a test message through one channel and says, in plain words, whether it went out. */
export async function testChannelAction(_previous: TestChannelState, formData: FormData): Promise<TestChannelState> {
  await requireUser();
  const id = channelIdSchema.safeParse(formData.get("channelId"));
  if (!id.success) return { result: { ok: false, error: "That channel does not exist." }, testedAt: Date.now() };
  return { result: await sendTestNotification(id.data), testedAt: Date.now() };
}
