/**
 * An SSH target's private key at rest: AES-256-GCM ciphertext of { privateKey, passphrase } in
 * DeployTarget.credentialsEnc. It leaves this module only towards the SSH client; what pages see
 * is the public half (for authorized_keys) and its fingerprint.
 */
import { z } from "zod";
import { decryptSecret, encryptSecret } from "@/lib/data/secret-box";
import { readPrivateKey } from "@/lib/protocol/ssh/private-key";
import { keyTypeLabel } from "@/lib/protocol/ssh/host-key";
import { AppError } from "@/lib/core/app-error";

const credentialsSchema = z.object({ privateKey: z.string().min(1), passphrase: z.string().optional() });
export type SshCredentials = z.output<typeof credentialsSchema>;

export function encryptCredentials(credentials: SshCredentials): string {
  return encryptSecret(JSON.stringify(credentials));
}

/** The stored key, or AppError when there is none or it cannot be read. */
export function decryptCredentials(target: { name: string; credentialsEnc: string | null }): SshCredentials {
  if (!target.credentialsEnc)
    throw new AppError("invalid_input", `The deploy target "${target.name}" has no private key: open it under Settings → Deploy targets and add one.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(decryptSecret(target.credentialsEnc));
  } catch (error) {
    throw new AppError(
      "invalid_input",
      `The private key of the deploy target "${target.name}" cannot be decrypted (was the secret key replaced?): paste or generate it again.`,
      { cause: error },
    );
  }
  const credentials = credentialsSchema.safeParse(parsed);
  if (!credentials.success)
    throw new AppError("invalid_input", `The private key of the deploy target "${target.name}" is unreadable: paste or generate it again.`);
  return credentials.data;
}

export interface PublicKeyFacts {
  /** The authorized_keys line. */
  publicKey: string;
  /** "SHA256:…" */
  fingerprint: string;
  /** "ED25519" */
  typeLabel: string;
}

/** The public half of a stored key, for the target's page; null when it cannot be read. */
export function publicKeyOf(target: { name: string; credentialsEnc: string | null }): PublicKeyFacts | null {
  try {
    const credentials = decryptCredentials(target);
    const key = readPrivateKey(credentials.privateKey, credentials.passphrase);
    return {
      publicKey: `${key.publicKey.replace(/ certdeck$/, "")} certdeck-${target.name.replace(/[^A-Za-z0-9._-]+/g, "-")}`,
      fingerprint: key.fingerprint,
      typeLabel: keyTypeLabel(key.type),
    };
  } catch {
    return null;
  }
}
