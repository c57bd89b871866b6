import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCertificateProblems, isChainTrusted, type ServedChainFacts } from "./certificate-findings";
import type { ServedCertificate } from "./served-certificate";

const NOW = new Date("2026-06-15T12:00:00Z");
const DAY_MS = 24 * 3600_000;

function certificate(overrides: Partial<ServedCertificate>): ServedCertificate {
  return {
    pem: "",
    fingerprintSha256: "AA:BB",
    subject: "shop.example.test",
    subjectAltNames: ["shop.example.test"],
    issuer: "Test Intermediate",
    serial: "01",
    notBefore: new Date(NOW.getTime() - 10 * DAY_MS),
    notAfter: new Date(NOW.getTime() + 50 * DAY_MS),
    isSelfIssued: false,
    ...overrides,
  };
}

const intermediate = certificate({ subject: "Test Intermediate", subjectAltNames: [], issuer: "Test Root" });

function facts(overrides: Partial<ServedChainFacts>): ServedChainFacts {
  return {
    chain: [certificate({}), intermediate],
    expectedName: "shop.example.test",
    nameError: null,
    authorizationError: null,
    diagnosis: { kind: "anchored", anchor: "Test Root" },
    leafHasCaIssuersUrl: false,
    now: NOW,
    ...overrides,
  };
}

describe("certificate problems in plain words", () => {
  it("find nothing wrong with a current, matching, trusted certificate", () => {
    assert.deepEqual(findCertificateProblems(facts({})), []);
  });

  it("say when the certificate expired, with the date", () => {
    const expired = facts({ chain: [certificate({ notAfter: new Date("2026-06-01T08:30:00Z") }), intermediate], authorizationError: "CERT_HAS_EXPIRED" });
    assert.deepEqual(findCertificateProblems(expired), [
      { status: "expired", message: "The certificate for shop.example.test expired on Mon, 1 Jun 2026, 08:30 UTC." },
    ]);
    // Expired, but from a trusted CA: the chain itself counts as trusted.
    assert.equal(isChainTrusted(expired), true);
    assert.match(findCertificateProblems({ ...expired, timeZone: "Europe/Berlin" })[0].message, /1 Jun 2026, 10:30 CEST/);
  });

  it("say when the certificate is not valid yet, pointing at the clock", () => {
    const [finding] = findCertificateProblems(
      facts({ chain: [certificate({ notBefore: new Date("2026-06-20T00:00:00Z") })], authorizationError: "CERT_NOT_YET_VALID" }),
    );
    assert.equal(finding.status, "not-yet-valid");
    assert.match(finding.message, /is not valid before Sat, 20 Jun 2026, 00:00 UTC; if it was just issued, check this server's clock/);
  });

  it("name an expired intermediate in the chain", () => {
    const [finding] = findCertificateProblems(
      facts({ chain: [certificate({}), { ...intermediate, notAfter: new Date("2026-06-10T00:00:00Z") }], authorizationError: "CERT_HAS_EXPIRED" }),
    );
    assert.equal(finding.status, "expired");
    assert.match(finding.message, /The intermediate certificate Test Intermediate in the served chain expired on/);
  });

  it("list the names a certificate is for when it is not for the name asked", () => {
    const wrong = facts({
      chain: [certificate({ subject: "a.example", subjectAltNames: ["a.example", "b.example"] }), intermediate],
      expectedName: "x.example",
      nameError: "Hostname/IP does not match certificate's altnames",
    });
    assert.deepEqual(findCertificateProblems(wrong), [
      { status: "wrong-name", message: "It serves a certificate for a.example, b.example, not for x.example." },
    ]);
  });

  it("name the untrusted issuer and suggest the CA bundle", () => {
    const untrusted = facts({
      authorizationError: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
      diagnosis: { kind: "unknown-issuer", issuer: "Corp Root CA", servedAlone: false },
    });
    assert.equal(isChainTrusted(untrusted), false);
    assert.deepEqual(findCertificateProblems(untrusted), [
      {
        status: "untrusted",
        message: "The certificate is issued by Corp Root CA, which the system does not trust; add the CA bundle (that CA's root certificate).",
      },
    ]);
  });

  it("recognise a self-signed certificate", () => {
    const [finding] = findCertificateProblems(
      facts({
        chain: [certificate({ isSelfIssued: true, issuer: "shop.example.test" })],
        authorizationError: "DEPTH_ZERO_SELF_SIGNED_CERT",
        diagnosis: { kind: "self-signed", subject: "shop.example.test" },
      }),
    );
    assert.equal(finding.status, "self-signed");
    assert.match(finding.message, /is self-signed \(issued by itself, shop\.example\.test\), which the system does not trust/);
  });

  it("recognise an incomplete chain: a known intermediate left out, or a lone public-CA leaf", () => {
    const missing = facts({
      chain: [certificate({})],
      authorizationError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      diagnosis: { kind: "missing-intermediates", missing: ["Test Intermediate"], anchor: "Test Root" },
    });
    assert.deepEqual(findCertificateProblems(missing), [
      {
        status: "incomplete-chain",
        message:
          "The server sends its certificate without the intermediate Test Intermediate, so clients cannot build the chain to Test Root: serve fullchain.pem (certificate and intermediates), not cert.pem.",
      },
    ]);
    const lone = facts({
      chain: [certificate({})],
      authorizationError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      diagnosis: { kind: "unknown-issuer", issuer: "R12", servedAlone: true },
      leafHasCaIssuersUrl: true,
    });
    assert.equal(findCertificateProblems(lone)[0].status, "incomplete-chain");
    assert.match(findCertificateProblems(lone)[0].message, /sends only its own certificate, without the intermediate R12/);
    // Without the AIA hint a lone leaf is simply from an unknown CA.
    assert.equal(findCertificateProblems({ ...lone, leafHasCaIssuersUrl: false })[0].status, "untrusted");
  });

  it("pass on other OpenSSL verdicts about a chain that does reach a trusted root", () => {
    const [finding] = findCertificateProblems(facts({ authorizationError: "CERT_SIGNATURE_FAILURE" }));
    assert.deepEqual(finding, {
      status: "untrusted",
      message: "The certificate chain up to Test Root does not verify: a signature in the chain does not verify (a corrupted or forged certificate).",
    });
    assert.match(findCertificateProblems(facts({ authorizationError: "SOMETHING_NEW" }))[0].message, /OpenSSL says SOMETHING_NEW/);
  });

  it("list every problem, most urgent first: dates, then the name, then trust", () => {
    const all = facts({
      chain: [certificate({ notAfter: new Date(NOW.getTime() - DAY_MS), isSelfIssued: true })],
      expectedName: "x.example",
      nameError: "mismatch",
      authorizationError: "CERT_HAS_EXPIRED",
      diagnosis: { kind: "self-signed", subject: "shop.example.test" },
    });
    assert.deepEqual(
      findCertificateProblems(all).map((finding) => finding.status),
      ["expired", "wrong-name", "self-signed"],
    );
  });
});
