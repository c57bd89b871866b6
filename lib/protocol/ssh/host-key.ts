/**
 * SSH host keys as OpenSSH shows them: `SHA256:` + the unpadded base64 of the SHA-256 of the key
 * blob (what `ssh-keygen -lf` and `ssh-keyscan | ssh-keygen -lf -` print), with the key's type.
 * CertDeck pins the first host key it sees for a target (trust on first use) and refuses to talk
 * to the host when that key changes.
 */
import { createHash } from "node:crypto";

export interface HostKey {
  /** "SHA256:…", as OpenSSH prints it. */
  fingerprint: string;
  /** The key's type as the SSH protocol names it: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa" … */
  type: string;
}

/** What a target stores after its first connection; `type` narrows the handshake to that kind of key. */
export interface PinnedHostKey {
  fingerprint: string;
  type?: string | null;
}

/** OpenSSH's SHA256 fingerprint of a public key blob (the wire format, not the text line). */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The type name at the start of a key blob (an SSH string: uint32 length, then the name). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return "unknown";
  return keyBlob.subarray(4, 4 + length).toString("latin1");
}

export function hostKeyOfBlob(keyBlob: Buffer): HostKey {
  return { fingerprint: sshFingerprint(keyBlob), type: keyTypeOfBlob(keyBlob) };
}

/**
 * A fingerprint as people paste it: with or without "SHA256:", with the "=" padding some tools
 * add, surrounded by spaces. Base64 is case-sensitive, so the case is kept. null when it is not
 * a SHA256 fingerprint at all (an MD5 one with colons, say).
 */
export function normalizeFingerprint(text: string): string | null {
  const trimmed = text
    .trim()
    .replace(/^SHA256:/i, "")
    .replace(/=+$/, "");
  return /^[A-Za-z0-9+/]{43}$/.test(trimmed) ? `SHA256:${trimmed}` : null;
}

export function fingerprintsEqual(a: string, b: string): boolean {
  const left = normalizeFingerprint(a);
  return left !== null && left === normalizeFingerprint(b);
}

/**
 * The host key algorithms to offer when a key of `type` is pinned, so that the server shows that
 * very key and a server that merely gained another kind of key is not taken for a changed one.
 */
export function hostKeyAlgorithmsFor(type: string): string[] {
  if (type === "ssh-rsa") return ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  return [type];
}

/** A short human name for a key type: "ED25519", "ECDSA", "RSA", as ssh-keygen -l prints it. */
export function keyTypeLabel(type: string): string {
  if (type === "ssh-ed25519") return "ED25519";
  if (type.startsWith("ecdsa-")) return "ECDSA";
  if (type === "ssh-rsa" || type.startsWith("rsa-")) return "RSA";
  return type;
}
