/**
 * An SSH target's connection settings and its host key: pinned on the first connection (trust on
 * first use, as ssh's "yes"), refused when it changes, and accepted again only for the very
 * fingerprint the operator checked.
 */
import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { scanHostKey, type SshTarget } from "@/lib/protocol/ssh/connect";
import { fingerprintsEqual, keyTypeLabel, normalizeFingerprint, type HostKey } from "@/lib/protocol/ssh/host-key";
import { defineCommand } from "@/lib/domain/command/define-command";
import { deployTargetOrNotFound } from "@/lib/domain/deploy/targets/manage-targets";
import { readTargetConfig, type SshTargetConfig } from "@/lib/domain/deploy/targets/target-config";
import { decryptCredentials } from "@/lib/domain/deploy/targets/target-credentials";

interface StoredSshTarget {
  id: string;
  name: string;
  credentialsEnc: string | null;
  hostKeyFingerprint: string | null;
  hostKeyType: string | null;
}

export const SSH_CONNECT_TIMEOUT_MS = 10_000;
export const SSH_HANDSHAKE_TIMEOUT_MS = 20_000;

/** What the SSH client needs: address, user, the decrypted key, the pinned host key. */
export function sshTargetOf(target: StoredSshTarget, config: SshTargetConfig): SshTarget {
  const credentials = decryptCredentials(target);
  return {
    host: config.host,
    port: config.port,
    username: config.username,
    privateKey: credentials.privateKey,
    passphrase: credentials.passphrase ?? null,
    pinnedHostKey: target.hostKeyFingerprint ? { fingerprint: target.hostKeyFingerprint, type: target.hostKeyType } : null,
    connectTimeoutMs: SSH_CONNECT_TIMEOUT_MS,
    handshakeTimeoutMs: SSH_HANDSHAKE_TIMEOUT_MS,
  };
}

/**
 * Pins the key a first connection saw. Only when nothing is pinned yet: two connections racing
 * (a test and a deploy) cannot replace a pinned key, only the operator's acceptance can.
 */
export async function pinFirstHostKey(targetId: string, hostKey: HostKey): Promise<boolean> {
  const { count } = await db.deployTarget.updateMany({
    where: { id: targetId, hostKeyFingerprint: null },
    data: { hostKeyFingerprint: hostKey.fingerprint, hostKeyType: hostKey.type },
  });
  return count === 1;
}

export function describeHostKey(hostKey: HostKey): string {
  return `${keyTypeLabel(hostKey.type)} ${hostKey.fingerprint}`;
}

const acceptHostKeyInput = z.object({
  id: idSchema,
  fingerprint: z.string({ error: "Enter the fingerprint you checked" }).trim().min(1, "Enter the fingerprint you checked"),
});

/**
 * "Accept the new host key": after the operator checked the new fingerprint on the host
 * (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), the host is asked again and its key is
 * pinned only when it is exactly the one they checked.
 */
export const acceptSshHostKey = defineCommand(
  { name: "deploy-target.accept-host-key", permission: "write", does: "accept SSH host keys", input: acceptHostKeyInput },
  async ({ id, fingerprint }, context): Promise<{ name: string; hostKey: HostKey }> => {
    const target = await deployTargetOrNotFound(id);
    if (target.type !== "ssh") throw new AppError("conflict", `"${target.name}" does not connect over SSH.`);
    const checked = normalizeFingerprint(fingerprint);
    if (!checked)
      throw fieldError(
        "fingerprint",
        `"${fingerprint}" is not an SSH fingerprint: it looks like SHA256:… (43 characters of base64), as ssh-keygen -lf prints it.`,
      );
    const { config } = readTargetConfig(target) as { config: SshTargetConfig };
    // The key type the operator checked, when it is the pinned one's; else whatever the host offers first.
    const seen = await scanHostKey(config.host, config.port, { connectTimeoutMs: SSH_CONNECT_TIMEOUT_MS, handshakeTimeoutMs: SSH_HANDSHAKE_TIMEOUT_MS });
    if (!fingerprintsEqual(seen.fingerprint, checked)) {
      throw new AppError(
        "conflict",
        `${config.host} shows the host key ${describeHostKey(seen)}, not ${checked}: nothing was changed. Check the fingerprint on the host again.`,
      );
    }
    await db.deployTarget.update({ where: { id }, data: { hostKeyFingerprint: seen.fingerprint, hostKeyType: seen.type } });
    await context.audit({ target: target.name, detail: { previous: target.hostKeyFingerprint, pinned: seen.fingerprint, type: seen.type } });
    return { name: target.name, hostKey: seen };
  },
);
