"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuditEvent, requestIp } from "@/lib/audit/record-audit-event";
import { createFirstAdminWithSetupCode, setupCodePath } from "@/lib/auth/first-run";
import { createSession, deleteCurrentSession, getCurrentUser } from "@/lib/auth/session";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { hasAnyUser } from "@/lib/auth/users";
import { dataDir } from "@/lib/env";
import { firstAdminSchema, signInSchema } from "@/lib/validation/auth.validation";
import type { FormState } from "@/lib/validation/form-result";

const setupCodeSchema = z.string().trim().min(1, "Enter the setup code from the server's log").max(64, "At most 64 characters");

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: String(formData.get("username") ?? "") };
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const result = await attemptSignIn(parsed.data.username, parsed.data.password, await requestIp());
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
    { username: parsed.data.username, password: parsed.data.password, setupCode: code.data, ip: await requestIp() },
    dataDir,
  );
  if (!result.ok) {
    return {
      formError:
        result.reason === "wrong-code"
          ? `The setup code is not right: it is in the server's log and in ${setupCodePath(dataDir)}`
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
  if (user) await recordAuditEvent({ actor: user.username, action: "sign-out", ip: await requestIp() });
  redirect("/login");
}
