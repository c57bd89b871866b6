"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { createCertificate } from "@/lib/certificates/create-certificate";
import { deleteCertificate } from "@/lib/certificates/delete-certificate";
import { enqueueCertificateJob } from "@/lib/jobs/queue";
import { db } from "@/lib/db/client";
import { certificateIdSchema } from "@/lib/validation/certificate.validation";
import type { FormState } from "@/lib/validation/form-result";

export async function createCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  await requireUser();
  const values = Object.fromEntries([...formData].filter(([key]) => !key.startsWith("$")).map(([key, value]) => [key, String(value)]));
  const result = await createCertificate(values);
  if (!result.ok) return { ...result, values };
  revalidatePath("/");
  redirect(`/certificates/${result.certificateId}`);
}

/** One click on Renew: queues a renewal, or does nothing when one is already queued or running. */
export async function renewCertificateAction(formData: FormData): Promise<void> {
  await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return;
  if (!(await db.certificate.findUnique({ where: { id: id.data }, select: { id: true } }))) return;
  await enqueueCertificateJob(id.data, "renew");
  revalidatePath("/");
  revalidatePath(`/certificates/${id.data}`);
}

/** "Test renewal": a dry run against the CA's staging directory; the live certificate is untouched. */
export async function testRenewalAction(formData: FormData): Promise<void> {
  await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return;
  if (!(await db.certificate.findUnique({ where: { id: id.data }, select: { id: true } }))) return;
  await enqueueCertificateJob(id.data, "dry-run");
  revalidatePath(`/certificates/${id.data}`);
}

/** Runs the deploy hook for the current version now, ignoring the maintenance window. */
export async function deployNowAction(formData: FormData): Promise<void> {
  await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return;
  const certificate = await db.certificate.findUnique({ where: { id: id.data }, select: { currentVersionId: true } });
  if (!certificate?.currentVersionId) return;
  await enqueueCertificateJob(id.data, "deploy", { reason: "requested from the dashboard" });
  revalidatePath(`/certificates/${id.data}`);
}

export async function deleteCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return { formError: "That certificate does not exist." };
  const result = await deleteCertificate(id.data);
  if (!result.ok) return { formError: result.error };
  revalidatePath("/");
  redirect("/");
}
