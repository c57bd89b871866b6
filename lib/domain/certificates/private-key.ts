import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { buildPfx } from "@/lib/protocol/x509/pfx";
import { db } from "@/lib/data/client";
import { decryptSecret } from "@/lib/data/secret-box";
import { verifyCurrentPassword } from "@/lib/domain/auth/sign-in";
import type { Actor } from "@/lib/domain/command/actor";
import { defineCommand, type CommandContext } from "@/lib/domain/command/define-command";

const currentPassword = z.string({ error: "Enter your password" }).min(1, "Enter your password").max(1024, "At most 1024 characters");

export const PFX_ENCRYPTIONS = ["aes256", "legacy-3des"] as const;

const pemInput = z.strictObject({ id: idSchema, password: currentPassword });
const pfxInput = z.strictObject({
  id: idSchema,
  password: currentPassword,
  exportPassword: z
    .string({ error: "Choose an export password" })
    .min(8, "Choose an export password of at least 8 characters: it is all that protects the key in the file")
    .max(256, "At most 256 characters")
    .refine((value) => !/[\r\n\0]/.test(value), "Line breaks cannot be part of the export password"),
  encryption: z.enum(PFX_ENCRYPTIONS, { error: `Choose one of: ${PFX_ENCRYPTIONS.join(", ")}` }).default("aes256"),
});

/**
 * The gate every private key download passes: a signed-in person's password typed again
 * (throttled like sign-in), and an issued current version.
 */
async function unlockCurrentKey(actor: Actor, id: string, password: string) {
  if (actor.kind !== "user") throw new AppError("forbidden", "Only a signed-in user who types their password again may download a private key.");
  if (!(await verifyCurrentPassword(actor.userId, password, actor.address))) {
    throw new AppError("invalid_input", "That is not your password.", {
      fieldErrors: { password: ["That is not your password (or there were too many attempts: wait a few minutes)."] },
    });
  }
  const certificate = await db.certificate.findUnique({
    where: { id },
    select: { name: true, currentVersion: { select: { version: true, privateKeyEnc: true, chainPem: true } } },
  });
  if (!certificate) throw new AppError("not_found", "That certificate does not exist.");
  if (!certificate.currentVersion) throw new AppError("conflict", "This certificate has no issued version yet.");
  const { privateKeyEnc, ...version } = certificate.currentVersion;
  return { name: certificate.name, version, privateKeyPem: () => decryptSecret(privateKeyEnc) };
}

async function auditDownload(context: CommandContext, name: string, detail: Record<string, unknown>) {
  await context.audit({ action: "key.download", target: name, detail });
}

/** The one way a PEM private key leaves CertDeck: a deliberate download behind the password, audited. */
export const downloadPrivateKeyPem = defineCommand(
  { name: "key.download", permission: "secret", does: "download private keys", input: pemInput },
  async ({ id, password }, context): Promise<{ filename: string; pem: string }> => {
    const key = await unlockCurrentKey(context.actor, id, password);
    const pem = key.privateKeyPem();
    await auditDownload(context, key.name, { version: key.version.version, format: "pem" });
    return { filename: `${lineageDirectoryName(key.name)}-privkey${key.version.version}.pem`, pem };
  },
);

/**
 * The key, certificate and chain as one PKCS#12 file for Windows/IIS, Java and appliances, behind
 * the same password, encrypted with an export password the user chooses; audited.
 */
export const downloadPrivateKeyPfx = defineCommand(
  { name: "key.download", permission: "secret", does: "download private keys", input: pfxInput },
  async ({ id, password, exportPassword, encryption }, context): Promise<{ filename: string; pfx: Buffer }> => {
    const key = await unlockCurrentKey(context.actor, id, password);
    let pfx: Buffer;
    try {
      pfx = await buildPfx({
        privateKeyPem: key.privateKeyPem(),
        fullChainPem: key.version.chainPem,
        password: exportPassword,
        friendlyName: key.name,
        encryption,
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      console.error("[certdeck] building a PFX failed", error);
      throw new AppError("upstream_failed", "The PFX could not be built. The server log has the details; the PEM download still works.", {
        cause: error,
        logMessage: `building a PFX for ${key.name} failed: ${(error as Error).message}`,
      });
    }
    await auditDownload(context, key.name, { version: key.version.version, format: "pfx", encryption });
    return { filename: `${lineageDirectoryName(key.name)}-${key.version.version}.pfx`, pfx };
  },
);
