"use server";

import { redirect } from "next/navigation";
import { createFirstAdminWithSetupCode } from "@/lib/domain/auth/first-run";
import { signIn } from "@/lib/domain/auth/sign-in";
import { signOut } from "@/lib/domain/auth/sign-out";
import { userActor } from "@/lib/domain/command/actor";
import { dataDir } from "@/lib/core/env";
import { requestAddress } from "@/lib/web/actor";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";
import { clearSessionCookie, createSession, getCurrentSession } from "@/lib/web/session";

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const submitted = formValues(formData);
  const values = { username: submitted.username ?? "" };
  let user;
  try {
    user = await signIn({ username: submitted.username ?? "", password: submitted.password ?? "" }, { address: await requestAddress() });
  } catch (error) {
    return toFormState(error, values);
  }
  await createSession(user.id);
  redirect("/");
}

/**
 * First run only: creates the administrator while no user exists, if the setup code printed at
 * start (and written to <data>/setup-code.txt) is right, then signs them in.
 */
export async function createFirstAdminAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const submitted = formValues(formData);
  const values = { username: submitted.username ?? "", setupCode: submitted.setupCode ?? "" };
  let user;
  try {
    user = await createFirstAdminWithSetupCode(
      {
        username: values.username,
        password: submitted.password ?? "",
        passwordConfirmation: submitted.passwordConfirmation ?? "",
        setupCode: values.setupCode,
      },
      { address: await requestAddress(), dataDir: dataDir() },
    );
  } catch (error) {
    return toFormState(error, values);
  }
  await createSession(user.id);
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  const session = await getCurrentSession();
  if (session) await signOut(userActor(session.user, await requestAddress()), { sessionId: session.id });
  await clearSessionCookie();
  redirect("/login");
}
