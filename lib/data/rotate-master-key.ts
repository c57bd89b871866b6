import { randomBytes } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { db } from "@/lib/data/client";
import { currentMasterKey, decryptWithKey, encryptWithKey, masterKeyFile } from "@/lib/data/secret-box";

export interface RotationResult {
  /** base64 of the new key: for CERTDECK_SECRET_KEY users to put in their environment. */
  newKeyBase64: string;
  reencrypted: number;
  /** Where the new key was written, when the key lives in the data directory. */
  keyFile: string | null;
}

/**
 * Re-encrypts every secret column under a new master key, in one transaction: either all
 * secrets use the new key or none does. Run with CertDeck stopped (`npm run rotate-secret-key`).
 * When the key comes from CERTDECK_SECRET_KEY, the caller must put the new key there; otherwise
 * <data>/secret.key is replaced (the old one kept as secret.key.old).
 */
export async function rotateMasterKey(): Promise<RotationResult> {
  const oldKey = currentMasterKey();
  const newKey = randomBytes(32);
  const again = (stored: string) => encryptWithKey(newKey, decryptWithKey(oldKey, stored));
  let reencrypted = 0;
  await db.$transaction(async (tx) => {
    for (const account of await tx.acmeAccount.findMany({ select: { id: true, accountKeyEnc: true, eabHmacKeyEnc: true } })) {
      await tx.acmeAccount.update({
        where: { id: account.id },
        data: { accountKeyEnc: again(account.accountKeyEnc), eabHmacKeyEnc: account.eabHmacKeyEnc ? again(account.eabHmacKeyEnc) : null },
      });
      reencrypted += account.eabHmacKeyEnc ? 2 : 1;
    }
    for (const version of await tx.certificateVersion.findMany({ select: { id: true, privateKeyEnc: true } })) {
      await tx.certificateVersion.update({ where: { id: version.id }, data: { privateKeyEnc: again(version.privateKeyEnc) } });
      reencrypted += 1;
    }
    for (const channel of await tx.notificationChannel.findMany({ select: { id: true, configEnc: true } })) {
      await tx.notificationChannel.update({ where: { id: channel.id }, data: { configEnc: again(channel.configEnc) } });
      reencrypted += 1;
    }
    for (const provider of await tx.dnsProvider.findMany({ where: { credentialsEnc: { not: null } }, select: { id: true, credentialsEnc: true } })) {
      await tx.dnsProvider.update({ where: { id: provider.id }, data: { credentialsEnc: again(provider.credentialsEnc!) } });
      reencrypted += 1;
    }
    // Jobs keep a pending order's private key in their state while they run.
    for (const job of await tx.job.findMany({ where: { state: { contains: "privateKeyEnc" } }, select: { id: true, state: true } })) {
      const state = JSON.parse(job.state!) as { privateKeyEnc?: string };
      if (!state.privateKeyEnc) continue;
      await tx.job.update({ where: { id: job.id }, data: { state: JSON.stringify({ ...state, privateKeyEnc: again(state.privateKeyEnc) }) } });
      reencrypted += 1;
    }
  });
  const newKeyBase64 = newKey.toString("base64");
  if (process.env.CERTDECK_SECRET_KEY) return { newKeyBase64, reencrypted, keyFile: null };
  await rename(masterKeyFile, `${masterKeyFile}.old`);
  await writeFile(masterKeyFile, `${newKeyBase64}\n`, { mode: 0o600, flag: "wx" });
  return { newKeyBase64, reencrypted, keyFile: masterKeyFile };
}
