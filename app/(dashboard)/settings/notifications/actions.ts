"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
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
import { checkboxInput, optionalNumberInput, withoutFields } from "@/lib/web/form-input";
import { formAction, idFrom, listRowAction } from "@/lib/web/form-action";
import { formValues, tested, toDialogState, toFormState, type FormState, type TestState } from "@/lib/web/form-state";

const PAGE = SETTINGS_SECTIONS.notifications.href;
const NO_SUCH_CHANNEL = "That channel does not exist.";

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
          port: optionalNumberInput(submitted.port),
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
export const setChannelNetworkAction = formAction(
  setNotificationChannelNetwork,
  (values) => ({ id: values.channelId ?? "", privateNetwork: values.privateNetwork === "true" }),
  (): FormState => {
    revalidatePath(PAGE);
    return {};
  },
  (error) => toDialogState(error, NO_SUCH_CHANNEL),
);

/** Deletes a channel and, with it, its delivery history. The list is fresh either way. */
export const deleteChannelAction = listRowAction(deleteNotificationChannel, idFrom("channelId"), PAGE, NO_SUCH_CHANNEL);

export type TestChannelState = TestState<{ ok: true } | { ok: false; error: string }>;

/** Sends a test message through one channel and says, in plain words, whether it went out. */
export const testChannelAction = formAction(testNotificationChannel, idFrom("channelId"), tested, (error) =>
  tested<{ ok: false; error: string }>({ ok: false, error: toDialogState(error, NO_SUCH_CHANNEL).formError ?? NO_SUCH_CHANNEL }),
);
