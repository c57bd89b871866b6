/**
 * The private key CertDeck logs in with: read once, up front, so that a bad key is an input error
 * with a plain sentence and not a failed connection. Accepted: OpenSSH's own format ("BEGIN
 * OPENSSH PRIVATE KEY", what ssh-keygen writes), the old PEM formats ("BEGIN RSA/EC PRIVATE KEY")
 * and PKCS#8 ("BEGIN PRIVATE KEY", what `openssl genpkey` writes), for ed25519, ECDSA
 * (P-256/384/521) and RSA, optionally protected by a passphrase. ssh2 reads the first two itself;
 * PKCS#8 is turned into one of them here.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import ssh2, { type ParsedKey } from "ssh2";
import { AppError, fieldError } from "@/lib/core/app-error";
import { sshFingerprint } from "@/lib/protocol/ssh/host-key";

export interface SshPrivateKey {
  /** The key in a format ssh2 reads (the input unless it was PKCS#8). */
  pem: string;
  passphrase?: string;
  /** "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa" … */
  type: string;
  /** The matching public key as an authorized_keys line: "ssh-ed25519 AAAA… certdeck". */
  publicKey: string;
  /** The public key's fingerprint, as `ssh-keygen -lf` shows it. */
  fingerprint: string;
}

const FIELD = "privateKey";

/**
 * Reads a private key. Throws an invalid_input AppError on the field "privateKey" when it is not
 * a private key, is of an unsupported kind, or the passphrase is missing or wrong.
 */
export function readPrivateKey(text: string, passphrase?: string | null): SshPrivateKey {
  const trimmed = text.replace(/\r\n/g, "\n").trim();
  if (trimmed === "") throw fieldError(FIELD, "Paste the private key CertDeck logs in with (it starts with -----BEGIN).");
  if (/^(ssh-|ecdsa-)\S+ AAAA/.test(trimmed)) {
    throw fieldError(FIELD, "This is a public key. Paste the private key here; the public key goes into the server's ~/.ssh/authorized_keys.");
  }
  const secret = passphrase ? passphrase : undefined;
  const pem = /^-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(trimmed) ? fromPkcs8(trimmed, secret) : trimmed;
  let parsed: ParsedKey | ParsedKey[] | Error;
  try {
    parsed = ssh2.utils.parseKey(pem, secret) as ParsedKey | ParsedKey[] | Error;
  } catch (error) {
    parsed = error instanceof Error ? error : new Error(String(error));
  }
  if (parsed instanceof Error) throw parseProblem(parsed);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey())
    throw fieldError(FIELD, "This is not a private key: paste the file that starts with -----BEGIN and ends with PRIVATE KEY-----.");
  const blob = key.getPublicSSH();
  return {
    pem,
    passphrase: secret,
    type: key.type,
    publicKey: `${key.type} ${blob.toString("base64")} certdeck`,
    fingerprint: sshFingerprint(blob),
  };
}

/**
 * A fresh key pair for a deploy target (ed25519, no passphrase: CertDeck stores it encrypted).
 * Not ssh2's generator: ssh2 1.17 drops a leading zero byte of the public key (mscdex/ssh2#1390),
 * so about one pair in 256 could not be read back.
 */
export function generateSshKeyPair(comment = "certdeck"): { privateKey: string; publicKey: string; fingerprint: string } {
  const privateKey = openSshEd25519(generateKeyPairSync("ed25519").privateKey, comment);
  const { publicKey, fingerprint } = readPrivateKey(privateKey);
  const [type, blob] = publicKey.split(" ");
  return { privateKey, publicKey: `${type} ${blob} ${comment}`, fingerprint };
}

function parseProblem(error: Error): AppError {
  const message = error.message;
  if (/no passphrase given/i.test(message)) {
    return fieldError(FIELD, "The private key is protected by a passphrase: enter it too.");
  }
  if (/bad passphrase|decrypt/i.test(message)) {
    return fieldError(FIELD, "The passphrase does not unlock this private key.");
  }
  if (/unsupported key|unsupported.*type/i.test(message)) {
    return fieldError(FIELD, "This kind of key is not supported: use an ed25519, ECDSA or RSA key.");
  }
  return new AppError("invalid_input", "The private key could not be read: paste the whole file, from -----BEGIN to -----END … PRIVATE KEY-----.", {
    fieldErrors: { [FIELD]: ["The private key could not be read: paste the whole file, from -----BEGIN to -----END … PRIVATE KEY-----."] },
    logMessage: `ssh2 could not parse the private key: ${message}`,
  });
}

/** PKCS#8 → the format ssh2 reads for that kind of key. */
function fromPkcs8(pem: string, passphrase: string | undefined): string {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem", passphrase });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (/ENCRYPTED/.test(pem) && !passphrase) throw fieldError(FIELD, "The private key is protected by a passphrase: enter it too.");
    if (/ENCRYPTED/.test(pem) || /BAD_DECRYPT/.test(code)) throw fieldError(FIELD, "The passphrase does not unlock this private key.");
    throw fieldError(FIELD, "The private key could not be read: paste the whole file, from -----BEGIN to -----END PRIVATE KEY-----.");
  }
  switch (key.asymmetricKeyType) {
    case "rsa":
      return key.export({ type: "pkcs1", format: "pem" }).toString().trim();
    case "ec": {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve !== "prime256v1" && curve !== "secp384r1" && curve !== "secp521r1") {
        throw fieldError(FIELD, `ECDSA keys on the curve ${curve ?? "(unknown)"} are not supported by SSH: use P-256, P-384 or P-521, or an ed25519 key.`);
      }
      return key.export({ type: "sec1", format: "pem" }).toString().trim();
    }
    case "ed25519":
      return openSshEd25519(key);
    default:
      throw fieldError(FIELD, `${key.asymmetricKeyType ?? "This"} keys are not supported: use an ed25519, ECDSA or RSA key.`);
  }
}

/** An SSH wire string: uint32 length, then the bytes. */
function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/**
 * An unencrypted "openssh-key-v1" file for an ed25519 key (PROTOCOL.key in OpenSSH's sources):
 * magic, cipher "none", kdf "none", one public key, then the private section (two equal check
 * numbers, type, public key, seed‖public key, comment, padding 1, 2, 3 … to 8 bytes).
 */
function openSshEd25519(key: KeyObject, comment = "certdeck"): string {
  const jwk = key.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d ?? "", "base64url");
  const publicBytes = Buffer.from(jwk.x ?? "", "base64url");
  const type = "ssh-ed25519";
  const publicBlob = Buffer.concat([sshString(type), sshString(publicBytes)]);
  const check = randomBytes(4).readUInt32BE(0);
  let privateSection = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(type),
    sshString(publicBytes),
    sshString(Buffer.concat([seed, publicBytes])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (privateSection.length % 8)) % 8 }, (_, index) => index + 1));
  privateSection = Buffer.concat([privateSection, padding]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return ["-----BEGIN OPENSSH PRIVATE KEY-----", ...lines, "-----END OPENSSH PRIVATE KEY-----"].join("\n");
}
