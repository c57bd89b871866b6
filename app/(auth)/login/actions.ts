"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { createSession, deleteCurrentSession } from "@/lib/auth/session";
import { createFirstAdmin, hasAnyUser, verifyCredentials } from "@/lib/auth/users";
import { firstAdminSchema, signInSchema } from "@/lib/validation/auth.validation";
import type { FormState } from "@/lib/validation/form-result";

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: String(formData.get("username") ?? "") };
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const user = await verifyCredentials(parsed.data.username, parsed.data.password);
  if (!user) return { formError: "Wrong user name or password.", values };
  await createSession(user.id);
  redirect("/");
}

/** First run only: creates the administrator while no user exists, then signs them in. */
export async function createFirstAdminAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: String(formData.get("username") ?? "") };
  if (await hasAnyUser()) return { formError: "An administrator already exists. Sign in instead.", values };
  const parsed = firstAdminSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const user = await createFirstAdmin(parsed.data.username, parsed.data.password);
  if (!user) return { formError: "An administrator already exists. Sign in instead.", values };
  await createSession(user.id);
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  await deleteCurrentSession();
  redirect("/login");
}
