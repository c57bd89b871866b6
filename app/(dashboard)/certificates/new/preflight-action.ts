"use server";

import { z } from "zod";
import { requireUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import type { PreflightReport } from "@/lib/domain/preflight/preflight-types";
import { runPreflight } from "@/lib/domain/preflight/run-preflight";
import { createCertificateSchema, parseWebrootLines } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";
import { parseNames } from "@/lib/protocol/names/names";

export type CheckNewCertificateResult = { ok: true; report: PreflightReport } | ({ ok: false } & Pick<FormState, "fieldErrors" | "formError">);

/**
 * "Check" on the add form: the pre-flight check on the form's values, before anything is stored.
 * It runs inside the request, unlike ACME work: it asks nothing of the CA and is bounded (a DNS
 * question gives up after 9 s, an HTTP probe after 5 s; 8 names at a time).
 */
export async function checkNewCertificateAction(values: Record<string, string>): Promise<CheckNewCertificateResult> {
  await requireUser();
  const parsed = createCertificateSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const input = parsed.data;
  const names = parseNames(input.names, { challengeMethod: input.challengeMethod });
  if (!names.ok) return { ok: false, fieldErrors: { names: names.errors } };
  if (!(await db.acmeAccount.findUnique({ where: { id: input.accountId }, select: { id: true } }))) {
    return { ok: false, fieldErrors: { accountId: ["That ACME account does not exist"] } };
  }
  try {
    const report = await runPreflight({
      identifiers: names.identifiers,
      challengeMethod: input.challengeMethod,
      webrootPath: input.challengeMethod === "http-01-webroot" ? input.webrootPath : null,
      webrootPaths: input.challengeMethod === "http-01-webroot" ? webrootPathsOf(input.webrootPaths) : {},
      accountId: input.accountId,
    });
    return { ok: true, report };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, formError: error.userMessage };
    throw error;
  }
}

function webrootPathsOf(lines: string): Record<string, string> {
  const parsed = parseWebrootLines(lines);
  return parsed.ok ? parsed.paths : {};
}
