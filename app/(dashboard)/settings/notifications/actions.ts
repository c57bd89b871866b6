"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { AppError } from "@/lib/core/app-error";
import type { SmtpSecurity } from "@/lib/domain/notifications/channel-config";
import {
  addNotificationChannel,
  deleteNotificationChannel,
  setNotificationChannelEnabled,
  setNotificationChannelNetwork,
  testNotificationChannel,
} from "@/lib/domain/notifications/channels";
import { requireActor } from "@/lib/web/actor";
import { checkboxInput, withoutFields } from "@/lib/web/form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

const PAGE = "/settings/notifications";
const NO_SUCH_CHANNEL = "That channel does not exist.";

/** The port field: empty means the encryption's usual port; anything but digits is refused by the command. */
function portInput(text: string | undefined): number | undefined {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Adds an e-mail or webhook channel; its settings (password, webhook token) are stored encrypted. */
export async function createChannelAction(_previous: FormState & { createdAt?: number }, formData: FormData): Promise<FormState & { createdAt?: number }> {
  const actor = await requireActor();
  const submitted = formValues(formData);
  // The password never goes back to the browser, not even after a typo elsewhere.
  const values = withoutFields(submitted, "password");
  const input =
    submitted.type === "webhook"
      ? { type: "webhook" as const, name: submitted.name, url: submitted.url ?? "", privateNetwork: checkboxInput(submitted.privateNetwork) }
      : {
          type: submitted.type as "email",
          name: submitted.name,
          host: submitted.host ?? "",
          port: portInput(submitted.port),
          security: submitted.security as SmtpSecurity,
          username: submitted.username,
          password: submitted.password,
          from: submitted.from ?? "",
          to: submitted.to ?? "",
          privateNetwork: checkboxInput(submitted.privateNetwork),
        };
  try {
    await addNotificationChannel(actor, input);
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath(PAGE);
  return { createdAt: Date.now() };
}

export async function setChannelEnabledAction(formData: FormData): Promise<void> {
  const actor = await requireActor();
  const isEnabled = formData.get("isEnabled");
  if (isEnabled !== "true" && isEnabled !== "false") return;
  try {
    await setNotificationChannelEnabled(actor, { id: String(formData.get("channelId") ?? ""), isEnabled: isEnabled === "true" });
  } catch (error) {
    unstable_rethrow(error);
    // The button has no place for a message: a channel deleted meanwhile disappears on the next render.
    if (!(error instanceof AppError)) throw error;
    return;
  }
  revalidatePath(PAGE);
}

/** Turns "on my private network or this machine" on or off for a channel; refused while its server needs it. */
export async function setChannelNetworkAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await setNotificationChannelNetwork(actor, { id: String(formData.get("channelId") ?? ""), privateNetwork: formData.get("privateNetwork") === "true" });
  } catch (error) {
    const state = toFormState(error);
    return { formError: state.fieldErrors?.id ? NO_SUCH_CHANNEL : state.formError };
  }
  revalidatePath(PAGE);
  return {};
}

/** Deletes a channel and, with it, its delivery history. */
export async function deleteChannelAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await deleteNotificationChannel(actor, { id: String(formData.get("channelId") ?? "") });
  } catch (error) {
    const state = toFormState(error);
    return { formError: state.fieldErrors?.id ? NO_SUCH_CHANNEL : state.formError };
  } finally {
    revalidatePath(PAGE);
  }
  return {};
}

export interface TestChannelState {
  result?: { ok: true } | { ok: false; error: string };
  testedAt?: number;
}

/** Sends a test message through one channel and says, in plain words, whether it went out. */
export async function testChannelAction(_previous: TestChannelState, formData: FormData): Promise<TestChannelState> {
  const actor = await requireActor();
  try {
    return { result: await testNotificationChannel(actor, { id: String(formData.get("channelId") ?? "") }), testedAt: Date.now() };
  } catch (error) {
    const state = toFormState(error);
    return { result: { ok: false, error: (state.fieldErrors?.id ? NO_SUCH_CHANNEL : state.formError) ?? NO_SUCH_CHANNEL }, testedAt: Date.now() };
  }
}
