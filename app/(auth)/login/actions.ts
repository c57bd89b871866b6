"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { createFirstAdminWithSetupCode, setupCodePath } from "@/lib/domain/auth/first-run";
import { createSession, deleteCurrentSession, getCurrentUser } from "@/lib/web/session";
import { attemptSignIn } from "@/lib/domain/auth/sign-in";
import { hasAnyUser } from "@/lib/domain/auth/users";
import { dataDir } from "@/lib/core/env";
import { firstAdminSchema, signInSchema } from "@/lib/domain/auth/auth.validation";
import type { FormState } from "@/lib/web/form-state";

const setupCodeSchema = z.string().trim().min(1, "Enter the setup code from the server's log").max(64, "At most 64 characters");

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: String(formData.get("username") ?? "") };
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const result = await attemptSignIn(parsed.data.username, parsed.data.password, await requestAddress());
  if (!result.ok) return { formError: result.reason === "throttled" ? result.message : "Wrong user name or password.", values };
  await createSession(result.user.id);
  redirect("/");
}

/**
 * First run only: creates the administrator while no user exists, if the setup code printed at
 * start (and written to <data>/setup-code.txt) is right, then signs them in.
 */
export async function createFirstAdminAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: String(formData.get("username") ?? ""), setupCode: String(formData.get("setupCode") ?? "") };
  if (await hasAnyUser()) return { formError: "An administrator already exists. Sign in instead.", values };
  const parsed = firstAdminSchema.safeParse(Object.fromEntries(formData));
  const code = setupCodeSchema.safeParse(values.setupCode);
  if (!parsed.success || !code.success) {
    return {
      fieldErrors: {
        ...(code.success ? {} : { setupCode: z.flattenError(code.error).formErrors }),
        ...(parsed.success ? {} : z.flattenError(parsed.error).fieldErrors),
      },
      values,
    };
  }
  const result = await createFirstAdminWithSetupCode(
    { username: parsed.data.username, password: parsed.data.password, setupCode: code.data, ip: await requestAddress() },
    dataDir(),
  );
  if (!result.ok) {
    return {
      formError:
        result.reason === "wrong-code"
          ? `The setup code is not right: it is in the server's log and in ${setupCodePath(dataDir())}`
          : "An administrator already exists. Sign in instead.",
      values,
    };
  }
  await createSession(result.user.id);
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  const user = await getCurrentUser();
  await deleteCurrentSession();
  if (user) await recordAuditEvent({ actor: user.username, action: "sign-out", ip: await requestAddress() });
  redirect("/login");
}
