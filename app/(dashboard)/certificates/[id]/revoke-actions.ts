"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { REVOCATION_REASON_IDS } from "@/lib/acme/revocation-reasons";
import { recordAuditEvent, requestIp } from "@/lib/audit/record-audit-event";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { enqueueCertificateJob } from "@/lib/jobs/queue";
import { certificateIdSchema } from "@/lib/validation/certificate.validation";
import type { FormState } from "@/lib/validation/form-result";
import { deleteCertificateAction } from "../actions";

const revokeSchema = z.object({
  certificateId: certificateIdSchema,
  reason: z.enum(REVOCATION_REASON_IDS, { error: "Choose why the certificate is revoked" }),
});

/** Queues the revocation of the current version (ACME work runs in the job, not here). */
export async function revokeCertificateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { formError: z.flattenError(parsed.error).fieldErrors.reason?.[0] ?? "That certificate does not exist." };
  const { certificateId, reason } = parsed.data;
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: { name: true, currentVersion: { select: { version: true, revokedAt: true } } },
  });
  if (!certificate?.currentVersion) return { formError: "This certificate has no issued version to revoke." };
  if (certificate.currentVersion.revokedAt) return { formError: "The current version is already revoked." };
  const { isNew } = await enqueueCertificateJob(certificateId, "revoke", { reason: `reason: ${reason}`, jobOptions: { revocationReason: reason } });
  if (!isNew) return { formError: "Another job is working on this certificate. Try again when it has finished." };
  await recordAuditEvent({ actor: user.username, action: "certificate.revoke", target: certificate.name, detail: { reason, version: certificate.currentVersion.version }, ip: await requestIp() });
  revalidatePath(`/certificates/${certificateId}`);
  redirect(`/certificates/${certificateId}`);
}

/**
 * The Delete dialog: deletes at once, or, with "Revoke at the CA first", queues a revocation that
 * deletes the certificate only after the CA confirmed it (lib/jobs/handlers/revoke.ts). The list
 * shows the job; a failed revocation leaves the certificate with the reason on it.
 */
export async function deleteOrRevokeThenDeleteAction(previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  if (formData.get("revokeFirst") !== "on") return deleteCertificateAction(previous, formData);
  const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { formError: z.flattenError(parsed.error).fieldErrors.reason?.[0] ?? "That certificate does not exist." };
  const { certificateId, reason } = parsed.data;
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: { name: true, currentVersion: { select: { version: true, revokedAt: true } } },
  });
  if (!certificate) return { formError: "That certificate does not exist." };
  if (!certificate.currentVersion || certificate.currentVersion.revokedAt) {
    return { formError: "There is no unrevoked version to revoke: untick “Revoke at the CA first” to delete it." };
  }
  const ip = await requestIp();
  const { isNew } = await enqueueCertificateJob(certificateId, "revoke", {
    reason: `reason: ${reason}, then delete`,
    jobOptions: { revocationReason: reason, deleteAfterRevoke: { actor: user.username, ip } },
  });
  if (!isNew) return { formError: "Another job is working on this certificate. Try again when it has finished." };
  await recordAuditEvent({
    actor: user.username,
    action: "certificate.revoke",
    target: certificate.name,
    detail: { reason, version: certificate.currentVersion.version, then: "delete" },
    ip,
  });
  revalidatePath("/");
  redirect("/");
}
