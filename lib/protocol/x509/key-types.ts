import acme from "acme-client";
import { keysOf } from "@/lib/core/keys-of";

export const KEY_TYPES = {
  "ec-p256": { label: "ECDSA P-256 (recommended)", generate: () => acme.crypto.createPrivateEcdsaKey("P-256") },
  "ec-p384": { label: "ECDSA P-384", generate: () => acme.crypto.createPrivateEcdsaKey("P-384") },
  "rsa-2048": { label: "RSA 2048", generate: () => acme.crypto.createPrivateRsaKey(2048) },
  "rsa-3072": { label: "RSA 3072", generate: () => acme.crypto.createPrivateRsaKey(3072) },
  "rsa-4096": { label: "RSA 4096", generate: () => acme.crypto.createPrivateRsaKey(4096) },
} as const;

export type KeyType = keyof typeof KEY_TYPES;
export const KEY_TYPE_IDS = keysOf(KEY_TYPES);
export const DEFAULT_KEY_TYPE: KeyType = "ec-p256";

export async function generatePrivateKeyPem(keyType: KeyType): Promise<string> {
  return (await KEY_TYPES[keyType].generate()).toString();
}
