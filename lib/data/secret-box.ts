import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/core/env";

/**
 * Encryption at rest for secrets kept in the database (private keys, ACME account keys, EAB
 * HMAC keys). AES-256-GCM with a random 96-bit IV per value; the 256-bit master key comes from
 * CERTDECK_SECRET_KEY (base64) or from <data>/secret.key, created with mode 0600 on first use.
 * Stored form: "v1:" + base64(iv | tag | ciphertext).
 */
const VERSION = "v1";

let cachedKey: Buffer | undefined;

function loadMasterKey(): Buffer {
  if (cachedKey) return cachedKey;
  const fromEnv = process.env.CERTDECK_SECRET_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, "base64");
    if (key.length !== 32) throw new Error("CERTDECK_SECRET_KEY must be 32 bytes, base64-encoded");
    cachedKey = key;
    return key;
  }
  const keyFile = path.join(dataDir(), "secret.key");
  if (!existsSync(keyFile)) {
    mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
    // "wx": never overwrite a key another process created a moment ago.
    try {
      writeFileSync(keyFile, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(keyFile, 0o600);
  const key = Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${keyFile} does not hold a 32-byte base64 key`);
  cachedKey = key;
  return key;
}

export function encryptSecret(plaintext: string): string {
  return encryptWithKey(loadMasterKey(), plaintext);
}

export function decryptSecret(stored: string): string {
  return decryptWithKey(loadMasterKey(), stored);
}

/** The path of the generated master key file (used when CERTDECK_SECRET_KEY is not set). */
export const masterKeyFile = path.join(dataDir(), "secret.key");

export function currentMasterKey(): Buffer {
  return loadMasterKey();
}

export function encryptWithKey(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
}

export function decryptWithKey(key: Buffer, stored: string): string {
  const [version, body] = stored.split(":", 2);
  if (version !== VERSION || !body) throw new Error("unrecognised secret format");
  const raw = Buffer.from(body, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
