"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/core/app-error";
import type { QueuedCertificateJob } from "@/lib/domain/certificates/certificate-job";
import { createCertificate } from "@/lib/domain/certificates/create-certificate";
import { deleteCertificate } from "@/lib/domain/certificates/delete-certificate";
import { deployCertificateNow, renewCertificate, testRenewal } from "@/lib/domain/certificates/renew-certificate";
import type { Command } from "@/lib/domain/command/define-command";
import { requireActor } from "@/lib/web/actor";
import { toCreateCertificateInput } from "@/lib/web/certificate-form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

/** The Add certificate form: the form's notation becomes the typed input; the command judges it. */
export async function createCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(formData);
  let certificateId: string;
  try {
    ({ certificateId } = await createCertificate(actor, toCreateCertificateInput(values)));
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath("/");
  redirect(`/certificates/${certificateId}`);
}

export interface RenewButtonState {
  /** Set when a renewal had succeeded a moment ago and was answered instead: the button asks "renew again?". */
  reusedAt?: number;
}

/**
 * One click on Renew: queues a renewal; a job already working on the certificate is left alone.
 * Within a minute of a successful renewal nothing is queued and the button asks for a second
 * click, which sends again=true.
 */
export async function renewFromButtonAction(_previous: RenewButtonState, formData: FormData): Promise<RenewButtonState> {
  const actor = await requireActor();
  const id = String(formData.get("certificateId") ?? "");
  let state: RenewButtonState = {};
  try {
    const result = await renewCertificate(actor, { id, again: formData.get("again") === "true" });
    if (result.reused) state = { reusedAt: Date.now() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  revalidatePath("/");
  revalidatePath(`/certificates/${id}`);
  return state;
}

/** "Test renewal": a dry run against the CA's staging directory; the live certificate is untouched. */
export async function testRenewalAction(formData: FormData): Promise<void> {
  await queueFromButton(formData, testRenewal);
}

/** Runs the deploy for the current version now, ignoring the maintenance window. */
export async function deployNowAction(formData: FormData): Promise<void> {
  await queueFromButton(formData, deployCertificateNow);
}

/**
 * The buttons on the overview and the certificate page: the page shows the job (or the one that
 * was already working), so a refusal changes nothing the user would not see anyway.
 */
async function queueFromButton(formData: FormData, command: Command<{ id: string }, QueuedCertificateJob>): Promise<void> {
  const actor = await requireActor();
  const id = String(formData.get("certificateId") ?? "");
  try {
    await command(actor, { id });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  revalidatePath("/");
  revalidatePath(`/certificates/${id}`);
}

export async function deleteCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await deleteCertificate(actor, { id: String(formData.get("certificateId") ?? "") });
  } catch (error) {
    return toFormState(error);
  }
  revalidatePath("/");
  redirect("/");
}
