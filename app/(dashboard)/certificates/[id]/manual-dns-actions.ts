"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { checkManualDnsRecords, type ManualDnsCheckResult } from "@/lib/domain/dns-providers/manual-check";
import { confirmManualDnsRecords, stopManualDnsWait } from "@/lib/domain/dns-providers/manual-confirm";
import { certificateIdSchema } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";

const jobFormSchema = z.object({ jobId: certificateIdSchema, certificateId: certificateIdSchema });

/** The job must belong to the certificate whose page sent the request. */
async function parseJobOfCertificate(raw: { jobId: unknown; certificateId: unknown }): Promise<z.infer<typeof jobFormSchema> | null> {
  const parsed = jobFormSchema.safeParse(raw);
  if (!parsed.success) return null;
  const job = await db.job.findFirst({ where: { id: parsed.data.jobId, certificateId: parsed.data.certificateId }, select: { id: true } });
  return job ? parsed.data : null;
}

/** "Done — records created": the waiting job checks the records and goes on. */
export async function confirmManualDnsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const form = await parseJobOfCertificate({ jobId: formData.get("jobId"), certificateId: formData.get("certificateId") });
  if (!form) return { formError: "That job does not exist any more. Reload the page." };
  const result = await confirmManualDnsRecords(form.jobId);
  revalidatePath(`/certificates/${form.certificateId}`);
  if (!result.ok) return { formError: result.error };
  await recordAuditEvent({ actor: user.username, action: "certificate.dns-records-confirmed", target: result.certificateName, detail: { jobId: form.jobId }, ip: await requestAddress() });
  revalidatePath("/");
  return {};
}

/** "Stop waiting": ends the job without asking the CA anything more. */
export async function stopManualDnsWaitAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const form = await parseJobOfCertificate({ jobId: formData.get("jobId"), certificateId: formData.get("certificateId") });
  if (!form) return { formError: "That job does not exist any more. Reload the page." };
  const result = await stopManualDnsWait(form.jobId);
  revalidatePath(`/certificates/${form.certificateId}`);
  if (!result.ok) return { formError: result.error };
  await recordAuditEvent({ actor: user.username, action: "certificate.dns-wait-stopped", target: result.certificateName, detail: { jobId: form.jobId }, ip: await requestAddress() });
  revalidatePath("/");
  return {};
}

/** "Check now": one look at every authoritative nameserver; changes nothing. */
export async function checkManualDnsAction(certificateId: string, jobId: string): Promise<ManualDnsCheckResult> {
  await requireUser();
  const form = await parseJobOfCertificate({ jobId, certificateId });
  if (!form) return { ok: false, error: "That job does not exist any more. Reload the page." };
  return checkManualDnsRecords(form.jobId);
}
