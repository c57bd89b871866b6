"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { endAllSessions, requireSession } from "@/lib/web/session";
import { changePassword, checkCurrentPassword } from "@/lib/domain/auth/sign-in";
import type { FormState } from "@/lib/web/form-state";

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(1024),
    newPassword: z.string().min(12, "Use at least 12 characters").max(1024, "At most 1024 characters"),
    newPasswordConfirmation: z.string(),
  })
  .refine((input) => input.newPassword === input.newPasswordConfirmation, {
    message: "The passwords do not match",
    path: ["newPasswordConfirmation"],
  });

export type ChangePasswordState = FormState & { changedAt?: number };

/** Checks the current password (throttled like sign-in), sets the new one, ends the other sessions. */
export async function changePasswordAction(_previous: ChangePasswordState, formData: FormData): Promise<ChangePasswordState> {
  const session = await requireSession();
  const parsed = changePasswordSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const ip = await requestAddress();
  const check = await checkCurrentPassword(session.user.id, parsed.data.currentPassword, ip);
  if (!check.ok) {
    return check.reason === "throttled"
      ? { formError: check.message }
      : { fieldErrors: { currentPassword: ["The current password is not right"] } };
  }
  await changePassword(session.user, parsed.data.newPassword, session.id, ip);
  return { changedAt: Date.now() };
}

/** Ends every session of this user, in every browser, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const session = await requireSession();
  const count = await endAllSessions(session.user.id);
  await recordAuditEvent({ actor: session.user.username, action: "sign-out-everywhere", detail: { sessionsEnded: count }, ip: await requestAddress() });
  redirect("/login");
}
