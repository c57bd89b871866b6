import { createPrivateKey } from "node:crypto";
import type { KeyType } from "@/lib/protocol/x509/key-types";

/** Which of CertDeck's key types a PEM private key is; null for anything else (or unreadable). */
export function keyTypeOfPem(privateKeyPem: string): KeyType | null {
  try {
    const key = createPrivateKey(privateKeyPem);
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === "ec") {
      return details.namedCurve === "prime256v1" ? "ec-p256" : details.namedCurve === "secp384r1" ? "ec-p384" : null;
    }
    if (key.asymmetricKeyType === "rsa") {
      const bits = details.modulusLength;
      return bits === 2048 ? "rsa-2048" : bits === 3072 ? "rsa-3072" : bits === 4096 ? "rsa-4096" : null;
    }
    return null;
  } catch {
    return null;
  }
}
