"use server";

import { revalidatePath } from "next/cache";
import { userMessageOf } from "@/lib/core/app-error";
import { checkManualDnsRecords, type ManualDnsCheck } from "@/lib/domain/dns-providers/manual-check";
import { confirmManualDnsRecords, JOB_GONE_MESSAGE, stopManualDnsWait } from "@/lib/domain/dns-providers/manual-confirm";
import { requireActor } from "@/lib/web/actor";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

export type ManualDnsCheckResult = ({ ok: true } & ManualDnsCheck) | { ok: false; error: string };

/** The page's hidden fields: which job, on which certificate. */
function jobOf(formData: FormData): { certificateId: string; jobId: string } {
  const values = formValues(formData);
  return { certificateId: values.certificateId ?? "", jobId: values.jobId ?? "" };
}

/** The panel has one line for messages: a malformed id (a tampered request) is a job that is gone. */
function messageOf(error: unknown): string {
  const state = toFormState(error);
  return state.fieldErrors ? JOB_GONE_MESSAGE : (state.formError ?? userMessageOf(error));
}

/** "Done — records created": the waiting job checks the records and goes on. */
export async function confirmManualDnsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const job = jobOf(formData);
  try {
    await confirmManualDnsRecords(actor, job);
  } catch (error) {
    revalidatePath(`/certificates/${job.certificateId}`);
    return { formError: messageOf(error) };
  }
  revalidatePath(`/certificates/${job.certificateId}`);
  revalidatePath("/");
  return {};
}

/** "Stop waiting": ends the job without asking the CA anything more. */
export async function stopManualDnsWaitAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const job = jobOf(formData);
  try {
    await stopManualDnsWait(actor, job);
  } catch (error) {
    revalidatePath(`/certificates/${job.certificateId}`);
    return { formError: messageOf(error) };
  }
  revalidatePath(`/certificates/${job.certificateId}`);
  revalidatePath("/");
  return {};
}

/** "Check now": one look at every authoritative nameserver; changes nothing. */
export async function checkManualDnsAction(certificateId: string, jobId: string): Promise<ManualDnsCheckResult> {
  const actor = await requireActor();
  try {
    return { ok: true, ...(await checkManualDnsRecords(actor, { certificateId, jobId })) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}
