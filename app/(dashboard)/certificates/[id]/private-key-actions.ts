"use server";

import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { verifyCurrentPassword } from "@/lib/domain/auth/sign-in";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { buildPfx } from "@/lib/protocol/x509/pfx";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import { decryptSecret } from "@/lib/data/secret-box";
import { certificateIdSchema } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";

const currentPassword = z.string().min(1, "Enter your password").max(1024);
const downloadSchema = z.object({ certificateId: certificateIdSchema, password: currentPassword });
const pfxSchema = z
  .object({
    certificateId: certificateIdSchema,
    password: currentPassword,
    exportPassword: z
      .string()
      .min(8, "Choose an export password of at least 8 characters: it is all that protects the key in the file")
      .max(256, "At most 256 characters")
      .refine((value) => !/[\r\n\0]/.test(value), "Line breaks cannot be part of the export password"),
    exportPasswordConfirm: z.string().max(256),
    encryption: z.enum(["aes256", "legacy-3des"]).default("aes256"),
  })
  .refine((input) => input.exportPassword === input.exportPasswordConfirm, { message: "The two export passwords differ", path: ["exportPasswordConfirm"] });

export type PrivateKeyDownloadState = FormState & { download?: { filename: string; pem: string; at: number } };
export type PfxDownloadState = FormState & { download?: { filename: string; base64: string; at: number } };

/**
 * The gate every private key download passes: the user's password typed again (throttled like
 * sign-in) and the current version read. `recordDownload` writes the audit entry once the file
 * is ready.
 */
async function authorizeKeyDownload(certificateId: string, password: string) {
  const user = await requireUser();
  if (!(await verifyCurrentPassword(user.id, password))) {
    return { ok: false as const, state: { fieldErrors: { password: ["That is not your password (or there were too many attempts: wait a few minutes)."] } } };
  }
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: { name: true, currentVersion: { select: { version: true, privateKeyEnc: true, chainPem: true } } },
  });
  if (!certificate?.currentVersion) return { ok: false as const, state: { formError: "This certificate has no issued version yet." } };
  const version = certificate.currentVersion;
  const recordDownload = async (format: "pem" | "pfx", detail: Record<string, unknown> = {}) =>
    recordAuditEvent({ actor: user.username, action: "key.download", target: certificate.name, detail: { version: version.version, format, ...detail }, ip: await requestAddress() });
  return { ok: true as const, name: certificate.name, version, recordDownload };
}

/** The one way a PEM private key reaches the browser: a deliberate download behind the password. */
export async function downloadPrivateKeyAction(_previous: PrivateKeyDownloadState, formData: FormData): Promise<PrivateKeyDownloadState> {
  await requireUser();
  const parsed = downloadSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const allowed = await authorizeKeyDownload(parsed.data.certificateId, parsed.data.password);
  if (!allowed.ok) return allowed.state;
  await allowed.recordDownload("pem");
  return {
    download: {
      filename: `${lineageDirectoryName(allowed.name)}-privkey${allowed.version.version}.pem`,
      pem: decryptSecret(allowed.version.privateKeyEnc),
      at: Date.now(),
    },
  };
}

/**
 * The key, certificate and chain as one PKCS#12 file for Windows/IIS, Java and appliances, behind
 * the same password gate, encrypted with an export password the user chooses.
 */
export async function downloadPfxAction(_previous: PfxDownloadState, formData: FormData): Promise<PfxDownloadState> {
  await requireUser();
  const parsed = pfxSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { certificateId, password, exportPassword, encryption } = parsed.data;
  const allowed = await authorizeKeyDownload(certificateId, password);
  if (!allowed.ok) return allowed.state;
  try {
    const pfx = await buildPfx({
      privateKeyPem: decryptSecret(allowed.version.privateKeyEnc),
      fullChainPem: allowed.version.chainPem,
      password: exportPassword,
      friendlyName: allowed.name,
      encryption,
    });
    await allowed.recordDownload("pfx", { encryption });
    return { download: { filename: `${lineageDirectoryName(allowed.name)}-${allowed.version.version}.pfx`, base64: pfx.toString("base64"), at: Date.now() } };
  } catch (error) {
    if (error instanceof AppError) return { formError: error.userMessage };
    console.error("[certdeck] building a PFX failed", error);
    return { formError: "The PFX could not be built. The server log has the details; the PEM download still works." };
  }
}
