"use server";

import { redirect } from "next/navigation";
import { changePassword } from "@/lib/domain/auth/sign-in";
import { signOutEverywhere } from "@/lib/domain/auth/sign-out";
import { requireSessionActor } from "@/lib/web/actor";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";
import { clearSessionCookie } from "@/lib/web/session";

export type ChangePasswordState = FormState & { changedAt?: number };

/** Checks the current password (throttled like sign-in), sets the new one, ends the other sessions. */
export async function changePasswordAction(_previous: ChangePasswordState, formData: FormData): Promise<ChangePasswordState> {
  const { actor, sessionId } = await requireSessionActor();
  const submitted = formValues(formData);
  try {
    await changePassword(actor, {
      currentPassword: submitted.currentPassword ?? "",
      newPassword: submitted.newPassword ?? "",
      newPasswordConfirmation: submitted.newPasswordConfirmation ?? "",
      keepSessionId: sessionId,
    });
  } catch (error) {
    // Passwords are never sent back.
    return toFormState(error);
  }
  return { changedAt: Date.now() };
}

/** Ends every session of this user, in every browser, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const { actor } = await requireSessionActor();
  await signOutEverywhere(actor, {});
  await clearSessionCookie();
  redirect("/login");
}
