import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  createSelfSignedCertificate,
  createTestCertificateAuthority,
  type TestCertificate,
  type TestCertificateAuthority,
} from "@/lib/testbed/test-certificates";
import { buildPfx, openPfx } from "@/lib/protocol/x509/pfx";
import { readUploadedPem, UploadProblem, type UploadField } from "@/lib/protocol/x509/uploaded-certificate";

const run = promisify(execFile);
const DAY_MS = 24 * 3600_000;

const fingerprints = (chainPem: string) =>
  (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem).fingerprint256);

/** Asserts that reading throws an UploadProblem on `field` whose message matches. */
function assertRefused(read: () => unknown, field: UploadField, message: RegExp) {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof UploadProblem, `an UploadProblem, got ${String(error)}`);
    assert.equal(error.field, field);
    assert.match(error.message, message);
    return true;
  });
}

describe("readUploadedPem", () => {
  let root: TestCertificateAuthority;
  let intermediate: TestCertificateAuthority;
  let leaf: TestCertificate;
  before(async () => {
    root = await createTestCertificateAuthority("Upload Test Root");
    intermediate = await root.createIntermediate("Upload Test Intermediate");
    leaf = await intermediate.issue({ names: ["Shop.Example.test", "www.example.test", "192.0.2.7"] });
  });

  it("reads leaf, chain and key in certbot's order; names from the SANs; key as PKCS#8", () => {
    const read = readUploadedPem(`${leaf.certificatePem}${intermediate.certificatePem}${leaf.privateKeyPem}`);
    assert.deepEqual(fingerprints(read.chainPem), [leaf.fingerprintSha256, intermediate.fingerprintSha256]);
    assert.deepEqual(read.names, ["Shop.Example.test", "www.example.test", "192.0.2.7"]);
    assert.equal(read.keyType, "ec-p256");
    assert.match(read.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(createPrivateKey(read.privateKeyPem).equals(createPrivateKey(leaf.privateKeyPem)));
    assert.equal(read.facts.fingerprintSha256, leaf.fingerprintSha256);
    assert.equal(read.facts.issuer, "Upload Test Intermediate");
    assert.deepEqual(read.notices, []);
  });

  it("finds the leaf in any order, orders the chain leaf → intermediate and leaves the root out", () => {
    const read = readUploadedPem(`${leaf.privateKeyPem}\r\n${root.certificatePem}${intermediate.certificatePem}\nsome text\n${leaf.certificatePem}`);
    assert.deepEqual(fingerprints(read.chainPem), [leaf.fingerprintSha256, intermediate.fingerprintSha256]);
    assert.equal(read.notices.length, 1);
    assert.match(read.notices[0], /root certificate \(Upload Test Root\) was left out/);
  });

  it("reads the key in its traditional forms (EC PRIVATE KEY, RSA PRIVATE KEY) and notes a missing intermediate", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "certdeck-upload-"));
    try {
      const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
      await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.pem", "-days", "2", "-subj", "/CN=rsa.example.test");
      await openssl("pkey", "-in", "rsa.key", "-traditional", "-out", "rsa-traditional.key");
      const [certificatePem, keyPem] = await Promise.all([
        readFile(path.join(dir, "rsa.pem"), "utf8"),
        readFile(path.join(dir, "rsa-traditional.key"), "utf8"),
      ]);
      assert.match(keyPem, /BEGIN RSA PRIVATE KEY/);
      const read = readUploadedPem(`${certificatePem}${keyPem}`);
      assert.equal(read.keyType, "rsa-2048");
      assert.deepEqual(read.names, ["rsa.example.test"], "the CN when there is no SAN");
      assert.match(read.notices.join(" "), /self-signed/);

      const ecKey = createPrivateKey(leaf.privateKeyPem).export({ type: "sec1", format: "pem" }).toString();
      assert.match(ecKey, /BEGIN EC PRIVATE KEY/);
      const withoutIntermediate = readUploadedPem(`${leaf.certificatePem}${ecKey}`);
      assert.deepEqual(fingerprints(withoutIntermediate.chainPem), [leaf.fingerprintSha256]);
      assert.match(withoutIntermediate.notices.join(" "), /No certificate for its issuer \(Upload Test Intermediate\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("opens an encrypted key with its passphrase, and asks for it otherwise", () => {
    const encrypted = createPrivateKey(leaf.privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "open sesame" })
      .toString();
    assert.match(encrypted, /ENCRYPTED PRIVATE KEY/);
    const read = readUploadedPem(`${leaf.certificatePem}${encrypted}`, { passphrase: "open sesame" });
    assert.ok(createPrivateKey(read.privateKeyPem).equals(createPrivateKey(leaf.privateKeyPem)));
    assertRefused(() => readUploadedPem(`${leaf.certificatePem}${encrypted}`), "keyPassphrase", /The private key is encrypted: enter its passphrase/);
    assertRefused(
      () => readUploadedPem(`${leaf.certificatePem}${encrypted}`, { passphrase: "wrong" }),
      "keyPassphrase",
      /The passphrase does not open the private key/,
    );
  });

  it("refuses a key that belongs to another certificate", async () => {
    const other = await intermediate.issue({ names: ["other.example.test"] });
    assertRefused(
      () => readUploadedPem(`${leaf.certificatePem}${other.privateKeyPem}`),
      "pem",
      /^The private key belongs to another certificate: it does not match the certificate \(Shop\.Example\.test\)/,
    );
  });

  it("refuses an expired certificate and one not valid yet, with the date", async () => {
    const expired = await intermediate.issue({
      names: ["old.example.test"],
      notBefore: new Date(Date.now() - 90 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    assertRefused(() => readUploadedPem(`${expired.certificatePem}${expired.privateKeyPem}`), "pem", /^The certificate expired on \d{4}-\d\d-\d\dT/);
    const future = await intermediate.issue({
      names: ["soon.example.test"],
      notBefore: new Date(Date.now() + 2 * DAY_MS),
      notAfter: new Date(Date.now() + 30 * DAY_MS),
    });
    assertRefused(() => readUploadedPem(`${future.certificatePem}${future.privateKeyPem}`), "pem", /^The certificate is not valid until /);
    // A CA clock a minute ahead is not "not yet valid".
    const justIssued = await intermediate.issue({
      names: ["now.example.test"],
      notBefore: new Date(Date.now() + 60_000),
      notAfter: new Date(Date.now() + 30 * DAY_MS),
    });
    assert.equal(readUploadedPem(`${justIssued.certificatePem}${justIssued.privateKeyPem}`).names[0], "now.example.test");
    const dated = await intermediate.issue({
      names: ["old2.example.test"],
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-03-01T12:00:00Z"),
    });
    assertRefused(
      () => readUploadedPem(`${dated.certificatePem}${dated.privateKeyPem}`, { formatDate: (date) => `«${date.getUTCFullYear()}»` }),
      "pem",
      /expired on «2020»/,
    );
  });

  it("refuses text that is not PEM, a broken block, a CSR, no key, no certificate, two keys", async () => {
    assertRefused(() => readUploadedPem("hello world"), "pem", /^not a PEM certificate: no -----BEGIN CERTIFICATE----- block was found/);
    assertRefused(() => readUploadedPem(""), "pem", /^Paste the certificate/);
    const base64Only = leaf.certificatePem.replace(/-----[A-Z ]+-----\n?/g, "");
    assertRefused(() => readUploadedPem(base64Only), "pem", /base64 without its -----BEGIN CERTIFICATE-----/);
    const broken = leaf.certificatePem.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!");
    assertRefused(() => readUploadedPem(`${broken}${leaf.privateKeyPem}`), "pem", /^not a PEM certificate: block 1 does not parse/);
    assertRefused(
      () => readUploadedPem("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"),
      "pem",
      /block 1 is a CERTIFICATE REQUEST \(a signing request/,
    );
    assertRefused(() => readUploadedPem(`${leaf.certificatePem}${intermediate.certificatePem}`), "pem", /^no private key/);
    assertRefused(() => readUploadedPem(leaf.privateKeyPem), "pem", /^no certificate/);
    assertRefused(() => readUploadedPem(`${leaf.certificatePem}${leaf.privateKeyPem}${intermediate.privateKeyPem}`), "pem", /2 private keys were pasted/);
    const brokenKey = leaf.privateKeyPem.replace(/\n[A-Za-z0-9+/]{8}/, "\nAAAAAAAA");
    assertRefused(() => readUploadedPem(`${leaf.certificatePem}${brokenKey}`), "pem", /not a PEM private key|belongs to another certificate/);
  });

  it("refuses a CA certificate as the leaf", () => {
    assertRefused(
      () => readUploadedPem(`${intermediate.certificatePem}${intermediate.privateKeyPem}`),
      "pem",
      /^The key belongs to a CA certificate \(Upload Test Intermediate\)/,
    );
  });

  it("takes a self-signed leaf as it is", async () => {
    const selfSigned = await createSelfSignedCertificate(["nas.example.test"]);
    const read = readUploadedPem(`${selfSigned.privateKeyPem}${selfSigned.certificatePem}`);
    assert.deepEqual(fingerprints(read.chainPem), [selfSigned.fingerprintSha256]);
    assert.match(read.notices.join(" "), /self-signed/);
  });
});

describe("openPfx → readUploadedPem", () => {
  let dir: string;
  let intermediate: TestCertificateAuthority;
  let leaf: TestCertificate;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "certdeck-upload-pfx-"));
    intermediate = await (await createTestCertificateAuthority("PFX Upload Root")).createIntermediate("PFX Upload Intermediate");
    leaf = await intermediate.issue({ names: ["pfx.example.test"] });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("opens a PFX with its password (AES, and the legacy 3DES of older Windows)", async () => {
    for (const encryption of ["aes256", "legacy-3des"] as const) {
      const pfx = await buildPfx({
        privateKeyPem: leaf.privateKeyPem,
        fullChainPem: `${leaf.certificatePem}${intermediate.certificatePem}`,
        password: "pfx password",
        friendlyName: "x",
        encryption,
      });
      const opened = await openPfx(pfx, "pfx password");
      assert.ok(opened.ok, `opened (${encryption})`);
      const read = readUploadedPem(opened.pem, { from: "pfx" });
      assert.deepEqual(fingerprints(read.chainPem), [leaf.fingerprintSha256, intermediate.fingerprintSha256]);
      assert.deepEqual(read.names, ["pfx.example.test"]);
    }
  });

  it("opens an RC2-40 PFX (openssl -legacy, Windows XP era) through the legacy provider", async () => {
    const keyFile = path.join(dir, "leaf.key");
    const certFile = path.join(dir, "leaf.pem");
    await Promise.all([writeFile(keyFile, leaf.privateKeyPem, { mode: 0o600 }), writeFile(certFile, leaf.certificatePem)]);
    await run("openssl", ["pkcs12", "-export", "-legacy", "-inkey", keyFile, "-in", certFile, "-passout", "pass:old", "-out", path.join(dir, "legacy.pfx")]);
    const opened = await openPfx(await readFile(path.join(dir, "legacy.pfx")), "old");
    assert.ok(opened.ok);
    assert.equal(readUploadedPem(opened.pem, { from: "pfx" }).facts.fingerprintSha256, leaf.fingerprintSha256);
  });

  it("says when the password is wrong or the file is no PFX", async () => {
    const pfx = await buildPfx({ privateKeyPem: leaf.privateKeyPem, fullChainPem: leaf.certificatePem, password: "right", friendlyName: "x" });
    const wrong = await openPfx(pfx, "wrong");
    assert.equal(wrong.ok ? "opened" : wrong.problem, "wrong-password");
    const garbage = await openPfx(Buffer.from("this is not a pfx"), "right");
    assert.equal(garbage.ok ? "opened" : garbage.problem, "not-pfx");
  });

  it("refuses a PFX without its key, naming the PFX", async () => {
    const certFile = path.join(dir, "only-cert.pem");
    await writeFile(certFile, leaf.certificatePem);
    await run("openssl", ["pkcs12", "-export", "-nokeys", "-in", certFile, "-passout", "pass:x", "-out", path.join(dir, "nokey.pfx")]);
    const opened = await openPfx(await readFile(path.join(dir, "nokey.pfx")), "x");
    assert.ok(opened.ok);
    assertRefused(() => readUploadedPem(opened.pem, { from: "pfx" }), "pfxBase64", /^The PFX holds no private key/);
  });
});
