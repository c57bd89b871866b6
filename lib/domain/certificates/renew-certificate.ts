import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { findAcmeCertificateOrThrow, findCertificateOrThrow, queueCertificateJob } from "@/lib/domain/certificates/certificate-job";
import { defineCommand } from "@/lib/domain/command/define-command";

/** Renew now (for a certificate never issued: try the issuance again). */
export const renewCertificate = defineCommand({
  name: "certificate.renew",
  permission: "write",
  does: "renew certificates",
  input: z.object({ id: idSchema }),
  run: async ({ id }, context) => queueCertificateJob(context, await findAcmeCertificateOrThrow(id, "renew"), { type: "renew" }),
});

/** "Test renewal", like certbot renew --dry-run: the CA's staging directory, the live certificate untouched. */
export const testRenewal = defineCommand({
  name: "certificate.test-renewal",
  permission: "write",
  does: "test renewals",
  input: z.object({ id: idSchema }),
  run: async ({ id }, context) => queueCertificateJob(context, await findAcmeCertificateOrThrow(id, "test the renewal of"), { type: "dry-run" }),
});

/** Runs the deploy for the current version now, ignoring the maintenance window. */
export const deployCertificateNow = defineCommand({
  name: "certificate.deploy",
  permission: "write",
  does: "deploy certificates",
  input: z.object({ id: idSchema }),
  run: async ({ id }, context) => {
    const certificate = await findCertificateOrThrow(id);
    if (!(await hasIssuedVersion(id))) throw new AppError("conflict", `${certificate.name} has no issued version to deploy yet.`);
    return queueCertificateJob(context, certificate, { type: "deploy" });
  },
});

async function hasIssuedVersion(id: string): Promise<boolean> {
  return Boolean((await db.certificate.findUnique({ where: { id }, select: { currentVersionId: true } }))?.currentVersionId);
}
