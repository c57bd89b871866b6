"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import type { PreflightReport } from "@/lib/domain/preflight/preflight-types";
import { runPreflight, savePreflightReport } from "@/lib/domain/preflight/run-preflight";
import { certificateIdSchema } from "@/lib/domain/certificates/certificate.validation";

export type CheckCertificateResult = { ok: true; report: PreflightReport } | { ok: false; error: string };

/**
 * "Check" on a certificate's page: runs the pre-flight check with the certificate's settings and
 * saves it as its last report. It runs inside the request, unlike ACME work: it asks nothing of
 * the CA and is bounded (a DNS question gives up after 9 s, an HTTP probe after 5 s; 8 names at a time).
 */
export async function checkCertificateAction(certificateId: string): Promise<CheckCertificateResult> {
  await requireUser();
  const id = certificateIdSchema.safeParse(certificateId);
  if (!id.success || !(await db.certificate.findUnique({ where: { id: id.data }, select: { id: true } }))) {
    return { ok: false, error: "That certificate does not exist." };
  }
  try {
    const report = await runPreflight(id.data);
    await savePreflightReport(id.data, report);
    revalidatePath(`/certificates/${id.data}`);
    return { ok: true, report };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.userMessage };
    throw error;
  }
}
