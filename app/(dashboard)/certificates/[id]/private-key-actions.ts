"use server";

import { z } from "zod";
import { recordAuditEvent, requestIp } from "@/lib/audit/record-audit-event";
import { requireUser } from "@/lib/auth/session";
import { verifyCurrentPassword } from "@/lib/auth/sign-in";
import { lineageDirectoryName } from "@/lib/certs/lineage-files";
import { db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/security/secret-box";
import { certificateIdSchema } from "@/lib/validation/certificate.validation";
import type { FormState } from "@/lib/validation/form-result";

const downloadSchema = z.object({ certificateId: certificateIdSchema, password: z.string().min(1, "Enter your password").max(1024) });

export type PrivateKeyDownloadState = FormState & { download?: { filename: string; pem: string; at: number } };

/**
 * The one way a private key reaches the browser: a deliberate download, after the user types
 * their password again (throttled like sign-in), recorded in the audit log.
 */
export async function downloadPrivateKeyAction(_previous: PrivateKeyDownloadState, formData: FormData): Promise<PrivateKeyDownloadState> {
  const user = await requireUser();
  const parsed = downloadSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  if (!(await verifyCurrentPassword(user.id, parsed.data.password))) {
    return { fieldErrors: { password: ["That is not your password (or there were too many attempts: wait a few minutes)."] } };
  }
  const certificate = await db.certificate.findUnique({
    where: { id: parsed.data.certificateId },
    select: { name: true, currentVersion: { select: { version: true, privateKeyEnc: true } } },
  });
  if (!certificate?.currentVersion) return { formError: "This certificate has no issued version yet." };
  await recordAuditEvent({ actor: user.username, action: "key.download", target: certificate.name, detail: { version: certificate.currentVersion.version }, ip: await requestIp() });
  return {
    download: {
      filename: `${lineageDirectoryName(certificate.name)}-privkey${certificate.currentVersion.version}.pem`,
      pem: decryptSecret(certificate.currentVersion.privateKeyEnc),
      at: Date.now(),
    },
  };
}
