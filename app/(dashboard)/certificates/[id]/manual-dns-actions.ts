"use server";

import { revalidatePath } from "next/cache";
import { userMessageOf } from "@/lib/core/app-error";
import { checkManualDnsRecords, type ManualDnsCheck } from "@/lib/domain/dns-providers/manual-check";
import { confirmManualDnsRecords, JOB_GONE_MESSAGE, stopManualDnsWait } from "@/lib/domain/dns-providers/manual-confirm";
import { requireActor } from "@/lib/web/actor";
import { formAction, type FormValues } from "@/lib/web/form-action";
import { toFormState, type FormState } from "@/lib/web/form-state";

export type ManualDnsCheckResult = ({ ok: true } & ManualDnsCheck) | { ok: false; error: string };

/** The page's hidden fields: which job, on which certificate. */
function jobOf(values: FormValues): { certificateId: string; jobId: string } {
  return { certificateId: values.certificateId ?? "", jobId: values.jobId ?? "" };
}

/** The panel has one line for messages: a malformed id (a tampered request) is a job that is gone. */
function messageOf(error: unknown): string {
  const state = toFormState(error);
  return state.fieldErrors ? JOB_GONE_MESSAGE : (state.formError ?? userMessageOf(error));
}

/** A button of the waiting panel: the certificate's page shows what the job does next, or why it could not. */
function manualDnsAction(command: typeof confirmManualDnsRecords) {
  return formAction(
    command,
    jobOf,
    (_, values): FormState => {
      revalidatePath(`/certificates/${values.certificateId ?? ""}`);
      revalidatePath("/");
      return {};
    },
    (error, values): FormState => {
      revalidatePath(`/certificates/${values.certificateId ?? ""}`);
      return { formError: messageOf(error) };
    },
  );
}

/** "Done — records created": the waiting job checks the records and goes on. */
export const confirmManualDnsAction = manualDnsAction(confirmManualDnsRecords);

/** "Stop waiting": ends the job without asking the CA anything more. */
export const stopManualDnsWaitAction = manualDnsAction(stopManualDnsWait);

/** "Check now": one look at every authoritative nameserver; changes nothing. */
export async function checkManualDnsAction(certificateId: string, jobId: string): Promise<ManualDnsCheckResult> {
  const actor = await requireActor();
  try {
    return { ok: true, ...(await checkManualDnsRecords(actor, { certificateId, jobId })) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}
