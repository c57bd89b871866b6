"use server";

import { revalidatePath } from "next/cache";
import { userMessageOf } from "@/lib/core/app-error";
import type { PreflightReport } from "@/lib/domain/preflight/preflight-types";
import { checkCertificate } from "@/lib/domain/preflight/preflight-commands";
import { requireActor } from "@/lib/web/actor";
import { toFormState } from "@/lib/web/form-state";

export type CheckCertificateResult = { ok: true; report: PreflightReport } | { ok: false; error: string };

/** "Check" on a certificate's page: runs and saves the pre-flight check (lib/domain/preflight/preflight-commands.ts). */
export async function checkCertificateAction(certificateId: string): Promise<CheckCertificateResult> {
  const actor = await requireActor();
  let report: PreflightReport;
  try {
    report = await checkCertificate(actor, { id: certificateId });
  } catch (error) {
    const state = toFormState(error);
    // A malformed id (a tampered request) is no certificate either.
    return { ok: false, error: state.fieldErrors?.id ? "That certificate does not exist." : (state.formError ?? userMessageOf(error)) };
  }
  revalidatePath(`/certificates/${certificateId}`);
  return { ok: true, report };
}
