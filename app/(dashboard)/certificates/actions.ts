"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { parseStoredIdentifiers } from "@/lib/domain/certificates/identifiers";
import { createCertificate } from "@/lib/domain/certificates/create-certificate";
import { deleteCertificate } from "@/lib/domain/certificates/delete-certificate";
import { deployCertificateNow, renewCertificate, testRenewal } from "@/lib/domain/certificates/renew-certificate";
import type { QueuedCertificateJob } from "@/lib/domain/certificates/certificate-job";
import type { Command } from "@/lib/domain/command/define-command";
import { AppError } from "@/lib/core/app-error";
import { requireActor } from "@/lib/web/actor";
import { db } from "@/lib/data/client";
import { toFormState, type FormState } from "@/lib/web/form-state";

export async function createCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const values = Object.fromEntries([...formData].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
  const result = await createCertificate(values);
  if (!result.ok) return { ...result, values };
  const created = await db.certificate.findUnique({ where: { id: result.certificateId }, select: { name: true, identifiers: true, challengeMethod: true } });
  await recordAuditEvent({
    actor: user.username,
    action: "certificate.add",
    target: created?.name ?? result.certificateId,
    detail: created ? { names: parseStoredIdentifiers(created.identifiers).map((identifier) => identifier.value), method: created.challengeMethod } : undefined,
    ip: await requestAddress(),
  });
  revalidatePath("/");
  redirect(`/certificates/${result.certificateId}`);
}

/** One click on Renew: queues a renewal; a job already working on the certificate is left alone. */
export async function renewCertificateAction(formData: FormData): Promise<void> {
  await queueFromButton(formData, renewCertificate);
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
