import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import ssh2 from "ssh2";
import { AppError } from "@/lib/core/app-error";
import { generateSshKeyPair, readPrivateKey } from "@/lib/protocol/ssh/private-key";

/** The raw 32-byte ed25519 public key inside an authorized_keys line. */
function ed25519PublicBytes(line: string): Buffer {
  const blob = Buffer.from(line.split(" ")[1], "base64");
  return blob.subarray(blob.length - 32);
}

const refusal = (field: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, "invalid_input");
  assert.ok(error.fieldErrors?.[field], JSON.stringify(error.fieldErrors));
  assert.match(error.userMessage, pattern);
  return true;
};

describe("reading SSH private keys", () => {
  it("turns a PKCS#8 ed25519 key (openssl genpkey) into one ssh2 reads, with the same public key", () => {
    const pair = generateKeyPairSync("ed25519");
    const pem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const key = readPrivateKey(pem);
    assert.equal(key.type, "ssh-ed25519");
    assert.match(key.pem, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const expected = Buffer.from(pair.publicKey.export({ format: "jwk" }).x ?? "", "base64url");
    assert.deepEqual(ed25519PublicBytes(key.publicKey), expected);
    assert.match(key.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("reads PKCS#8 ECDSA and RSA keys, also encrypted ones with their passphrase", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384" });
    assert.equal(readPrivateKey(ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString()).type, "ecdsa-sha2-nistp384");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const encrypted = rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "s3cret" }).toString();
    const key = readPrivateKey(encrypted, "s3cret");
    assert.equal(key.type, "ssh-rsa");
    // The public key in the authorized_keys line is the RSA key's own.
    const spki = createPublicKey(rsa.privateKey).export({ format: "jwk" });
    const blob = Buffer.from(key.publicKey.split(" ")[1], "base64");
    assert.ok(blob.includes(Buffer.from(spki.n ?? "", "base64url")));
    assert.throws(() => readPrivateKey(encrypted), refusal("privateKey", /protected by a passphrase/));
    assert.throws(() => readPrivateKey(encrypted, "wrong"), refusal("privateKey", /passphrase does not unlock/));
  });

  it("says what is wrong with a public key, garbage, an empty field or an unsupported curve", () => {
    const pair = generateSshKeyPair();
    assert.throws(() => readPrivateKey(pair.publicKey), refusal("privateKey", /This is a public key/));
    assert.throws(
      () => readPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----"),
      refusal("privateKey", /could not be read/),
    );
    assert.throws(() => readPrivateKey("  \n"), refusal("privateKey", /Paste the private key/));
    const k1 = generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    assert.throws(() => readPrivateKey(k1), refusal("privateKey", /secp256k1 are not supported/));
  });

  it("generates ed25519 pairs whose public line and fingerprint match the private key", () => {
    const pair = generateSshKeyPair("target-1");
    const key = readPrivateKey(pair.privateKey);
    assert.equal(key.type, "ssh-ed25519");
    assert.equal(key.fingerprint, pair.fingerprint);
    assert.equal(pair.publicKey.split(" ")[1], key.publicKey.split(" ")[1]);
    assert.match(pair.publicKey, / target-1$/);
    assert.match(pair.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  });

  it("generates pairs ssh2 reads back every time, also those whose public key starts with a zero byte", () => {
    // ssh2's own generator dropped that byte: about one pair in 256 could not be read (mscdex/ssh2#1390).
    let leadingZero = 0;
    for (let count = 0; count < 4000; count++) {
      const pair = generateSshKeyPair();
      const publicBytes = ssh2.utils.parseKey(pair.publicKey);
      assert.ok(!(publicBytes instanceof Error), `public key ${pair.publicKey} reads back`);
      const blob = (Array.isArray(publicBytes) ? publicBytes[0] : publicBytes).getPublicSSH();
      assert.equal(blob.length, 51, "type string (4 + 11) and a 32-byte key (4 + 32)");
      if (blob[19] === 0) leadingZero += 1;
    }
    assert.ok(leadingZero > 0, "the sample held keys whose public key starts with a zero byte");
  });
});
