"use server";

import type { PreflightReport } from "@/lib/domain/preflight/preflight-types";
import { checkNewCertificate } from "@/lib/domain/preflight/preflight-commands";
import { requireActor } from "@/lib/web/actor";
import { toCreateCertificateInput } from "@/lib/web/certificate-form-input";
import { toFormState, type FormState } from "@/lib/web/form-state";

export type CheckNewCertificateResult = { ok: true; report: PreflightReport } | ({ ok: false } & Pick<FormState, "fieldErrors" | "formError">);

/**
 * "Check" on the Add form: the pre-flight check on the form's values, before anything is stored
 * (lib/domain/preflight/preflight-commands.ts).
 */
export async function checkNewCertificateAction(values: Record<string, string>): Promise<CheckNewCertificateResult> {
  const actor = await requireActor();
  try {
    return { ok: true, report: await checkNewCertificate(actor, toCreateCertificateInput(values)) };
  } catch (error) {
    const { fieldErrors, formError } = toFormState(error);
    return { ok: false, fieldErrors, formError };
  }
}
