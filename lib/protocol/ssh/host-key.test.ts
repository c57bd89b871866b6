import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fingerprintsEqual, hostKeyAlgorithmsFor, hostKeyOfBlob, keyTypeOfBlob, normalizeFingerprint, sshFingerprint } from "@/lib/protocol/ssh/host-key";

/** Public keys made by ssh-keygen, with the fingerprints `ssh-keygen -lf` printed for them. */
const VECTORS = [
  {
    line: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILIvg6Nk8cc7MXxvzKnjsAOVhQhZad8oO2cPi2fuB2df root@vm",
    fingerprint: "SHA256:8aE58k/GOG4ILVFt3+irSIqHGF13gMV5trqQSfYF/Pk",
    type: "ssh-ed25519",
  },
  {
    line: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAaD622QupwSOJm2JIjvDUlAInCelRcKzAQElIW5olpJukLD16DLsLsIeyfPdmcAXQCVd4tGkVPDV8/xueg5Jl8= root@vm",
    fingerprint: "SHA256:a6OBsn4pNf245+HQcB1AaeMYMXwBdfuvmDW7UJZQpBU",
    type: "ecdsa-sha2-nistp256",
  },
];

const blobOf = (line: string) => Buffer.from(line.split(" ")[1], "base64");

describe("SSH host key fingerprints", () => {
  it("match what ssh-keygen -lf prints (SHA256, base64 without padding)", () => {
    for (const vector of VECTORS) {
      assert.equal(sshFingerprint(blobOf(vector.line)), vector.fingerprint);
      assert.deepEqual(hostKeyOfBlob(blobOf(vector.line)), { fingerprint: vector.fingerprint, type: vector.type });
    }
  });

  it("read the key type from the blob, and refuse garbage", () => {
    assert.equal(keyTypeOfBlob(blobOf(VECTORS[1].line)), "ecdsa-sha2-nistp256");
    assert.equal(keyTypeOfBlob(Buffer.from([0, 0, 0])), "unknown");
    assert.equal(keyTypeOfBlob(Buffer.from([0xff, 0, 0, 1, 65])), "unknown");
  });

  it("compare as people paste them: with or without the prefix and padding, case kept", () => {
    const { fingerprint } = VECTORS[0];
    const bare = fingerprint.slice("SHA256:".length);
    assert.equal(normalizeFingerprint(` ${bare}= `), fingerprint);
    assert.equal(normalizeFingerprint(`sha256:${bare}`), fingerprint);
    assert.ok(fingerprintsEqual(bare, fingerprint));
    assert.ok(!fingerprintsEqual(fingerprint.toLowerCase(), fingerprint));
    assert.ok(!fingerprintsEqual(fingerprint, VECTORS[1].fingerprint));
    assert.equal(normalizeFingerprint("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"), null);
    assert.ok(!fingerprintsEqual("", ""));
  });

  it("narrow the handshake to the pinned kind of key (RSA keys sign with SHA-2 too)", () => {
    assert.deepEqual(hostKeyAlgorithmsFor("ssh-ed25519"), ["ssh-ed25519"]);
    assert.deepEqual(hostKeyAlgorithmsFor("ssh-rsa"), ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
  });
});
