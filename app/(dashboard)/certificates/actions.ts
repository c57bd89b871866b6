"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAuditEvent, requestIp } from "@/lib/audit/record-audit-event";
import { requireUser } from "@/lib/auth/session";
import { parseStoredIdentifiers } from "@/lib/certificates/identifiers";
import { createCertificate } from "@/lib/certificates/create-certificate";
import { deleteCertificate } from "@/lib/certificates/delete-certificate";
import { enqueueCertificateJob } from "@/lib/jobs/queue";
import { db } from "@/lib/db/client";
import { certificateIdSchema } from "@/lib/validation/certificate.validation";
import type { FormState } from "@/lib/validation/form-result";

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
    ip: await requestIp(),
  });
  revalidatePath("/");
  redirect(`/certificates/${result.certificateId}`);
}

/** One click on Renew: queues a renewal, or does nothing when one is already queued or running. */
export async function renewCertificateAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return;
  const certificate = await db.certificate.findUnique({ where: { id: id.data }, select: { name: true } });
  if (!certificate) return;
  const { isNew } = await enqueueCertificateJob(id.data, "renew");
  if (isNew) await recordAuditEvent({ actor: user.username, action: "certificate.renew", target: certificate.name, ip: await requestIp() });
  revalidatePath("/");
  revalidatePath(`/certificates/${id.data}`);
}

/** "Test renewal": a dry run against the CA's staging directory; the live certificate is untouched. */
export async function testRenewalAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return;
  const certificate = await db.certificate.findUnique({ where: { id: id.data }, select: { name: true } });
  if (!certificate) return;
  const { isNew } = await enqueueCertificateJob(id.data, "dry-run");
  if (isNew) await recordAuditEvent({ actor: user.username, action: "certificate.test-renewal", target: certificate.name, ip: await requestIp() });
  revalidatePath(`/certificates/${id.data}`);
}

/** Runs the deploy hook for the current version now, ignoring the maintenance window. */
export async function deployNowAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return;
  const certificate = await db.certificate.findUnique({ where: { id: id.data }, select: { name: true, currentVersionId: true } });
  if (!certificate?.currentVersionId) return;
  const { isNew } = await enqueueCertificateJob(id.data, "deploy", { reason: "requested from the dashboard" });
  if (isNew) await recordAuditEvent({ actor: user.username, action: "certificate.deploy", target: certificate.name, ip: await requestIp() });
  revalidatePath(`/certificates/${id.data}`);
}

export async function deleteCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return { formError: "That certificate does not exist." };
  const certificate = await db.certificate.findUnique({ where: { id: id.data }, select: { name: true } });
  const result = await deleteCertificate(id.data);
  if (!result.ok) return { formError: result.error };
  await recordAuditEvent({
    actor: user.username,
    action: "certificate.delete",
    target: certificate?.name ?? id.data,
    detail: result.movedTo ? { filesMovedTo: result.movedTo } : undefined,
    ip: await requestIp(),
  });
  revalidatePath("/");
  redirect("/");
}
