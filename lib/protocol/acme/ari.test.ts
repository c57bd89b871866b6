import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, it } from "node:test";
import * as x509 from "@peculiar/x509";
import { ariCertIdOf, formatAriCertId, parseRenewalInfo, parseRetryAfter } from "./ari";

x509.cryptoProvider.set(webcrypto as Crypto);
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** A certificate signed by a throwaway issuer, with the extensions given. */
async function certificate(serialNumber: string, extensions: x509.Extension[]): Promise<x509.X509Certificate> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  return x509.X509CertificateGenerator.create({
    serialNumber,
    subject: "CN=leaf.example.test",
    issuer: "CN=Example Issuing CA",
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2026-04-01T00:00:00Z"),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions,
  });
}

describe("formatAriCertId", () => {
  it("matches RFC 9773 section 4.1's example", () => {
    assert.equal(formatAriCertId("69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4", "87654321"), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
  });
  it("keeps a serial whose high bit is clear as is, and drops redundant leading zeros", () => {
    assert.equal(formatAriCertId("01", "7f01"), "AQ.fwE");
    assert.equal(formatAriCertId("01", "00007f01"), "AQ.fwE");
    assert.equal(formatAriCertId("01", "0087"), "AQ.AIc");
  });
});

describe("ariCertIdOf", () => {
  const keyId = "69885b6b87464041e1b37b847ba0ae2cde01c8d4";
  it("reads the leaf's Authority Key Identifier and serial (RFC 9773 section 4.1's example values)", async () => {
    const leaf = await certificate("87654321", [
      new x509.BasicConstraintsExtension(false),
      new x509.AuthorityKeyIdentifierExtension(keyId),
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "leaf.example.test" }]),
    ]);
    const issuer = await certificate("01", []);
    assert.equal(ariCertIdOf(`${leaf.toString("pem")}\n${issuer.toString("pem")}\n`), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
  });
  it("agrees with a full ASN.1 decoding for serials with and without the high bit", async () => {
    for (const serial of ["7f01", "00ff", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"]) {
      const leaf = await certificate(serial, [new x509.AuthorityKeyIdentifierExtension("0102030405")]);
      const decoded = new x509.X509Certificate(leaf.rawData).getExtension(x509.AuthorityKeyIdentifierExtension)!;
      assert.equal(ariCertIdOf(leaf.toString("pem")), formatAriCertId(decoded.keyId!, leaf.serialNumber), serial);
    }
  });
  it("is null without an Authority Key Identifier, or without a certificate", async () => {
    assert.equal(ariCertIdOf((await certificate("05", [new x509.BasicConstraintsExtension(false)])).toString("pem")), null);
    assert.equal(ariCertIdOf((await certificate("06", [])).toString("pem")), null);
    assert.equal(ariCertIdOf(""), null);
  });
});

describe("parseRenewalInfo", () => {
  // Shaped like Let's Encrypt's responses (RFC 9773 section 4.2).
  it("reads the suggested window and the explanation URL", () => {
    assert.deepEqual(
      parseRenewalInfo({
        suggestedWindow: { start: "2026-01-03T00:00:00Z", end: "2026-01-07T00:00:00Z" },
        explanationURL: "https://acme.example.com/docs/ari",
      }),
      { windowStart: new Date("2026-01-03T00:00:00Z"), windowEnd: new Date("2026-01-07T00:00:00Z"), explanationUrl: "https://acme.example.com/docs/ari" },
    );
  });
  it("refuses an inverted or missing window", () => {
    assert.equal(parseRenewalInfo({ suggestedWindow: { start: "2026-01-07T00:00:00Z", end: "2026-01-03T00:00:00Z" } }), null);
    assert.equal(parseRenewalInfo({ suggestedWindow: { start: "soon", end: "2026-01-03T00:00:00Z" } }), null);
    assert.equal(parseRenewalInfo({}), null);
    assert.equal(parseRenewalInfo("nope"), null);
  });
  it("drops an explanation URL that is not http(s)", () => {
    assert.equal(
      parseRenewalInfo({ suggestedWindow: { start: "2026-01-03T00:00:00Z", end: "2026-01-04T00:00:00Z" }, explanationURL: "javascript:alert(1)" })
        ?.explanationUrl,
      null,
    );
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-26T00:00:00Z");
  it("reads delta-seconds", () => assert.equal(parseRetryAfter("21600", now), 21600));
  it("reads an HTTP date", () => assert.equal(parseRetryAfter("Thu, 26 Nov 2026 01:00:00 GMT", now), 3600));
  it("ignores garbage", () => assert.equal(parseRetryAfter("later", now), null));
});
