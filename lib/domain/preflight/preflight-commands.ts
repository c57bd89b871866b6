import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { parseNames } from "@/lib/protocol/names/names";
import { db } from "@/lib/data/client";
import { createCertificateInputSchema } from "@/lib/domain/certificates/certificate.validation";
import { defineCommand } from "@/lib/domain/command/define-command";
import { accountNameOptions } from "@/lib/domain/network/account-network";
import type { PreflightReport } from "@/lib/domain/preflight/preflight-types";
import { runPreflight, savePreflightReport } from "@/lib/domain/preflight/run-preflight";

/**
 * "Check" on a certificate's page: the pre-flight check with the certificate's settings, saved as
 * its last report. It runs inside the request, unlike ACME work: it asks nothing of the CA and is
 * bounded (a DNS question gives up after 9 s, an HTTP probe after 5 s; 8 names at a time).
 */
export const checkCertificate = defineCommand(
  { name: "certificate.preflight", permission: "write", does: "run pre-flight checks", input: z.strictObject({ id: idSchema }) },
  async ({ id }): Promise<PreflightReport> => {
    if (!(await db.certificate.findUnique({ where: { id }, select: { id: true } }))) throw new AppError("not_found", "That certificate does not exist.");
    const report = await runPreflight(id);
    await savePreflightReport(id, report);
    return report;
  },
);

/**
 * "Check" on the Add form: the pre-flight check on what the form holds, before anything is
 * stored, judged by the same schema as adding the certificate. Bounded as above.
 */
export const checkNewCertificate = defineCommand(
  { name: "certificate.preflight-new", permission: "write", does: "run pre-flight checks", input: createCertificateInputSchema },
  async (input): Promise<PreflightReport> => {
    const account = await db.acmeAccount.findUnique({ where: { id: input.accountId }, select: { privateNetwork: true } });
    const names = parseNames(input.names, { challengeMethod: input.challengeMethod, ...accountNameOptions(account ?? { privateNetwork: false }) });
    if (!names.ok) throw new AppError("invalid_input", "Fix these fields: names.", { fieldErrors: { names: names.errors } });
    if (!account) throw fieldError("accountId", "That ACME account does not exist");
    const isWebroot = input.challengeMethod === "http-01-webroot";
    return runPreflight({
      identifiers: names.identifiers,
      challengeMethod: input.challengeMethod,
      webrootPath: isWebroot ? input.webrootPath : null,
      webrootPaths: isWebroot ? input.webrootPaths : {},
      accountId: input.accountId,
    });
  },
);
