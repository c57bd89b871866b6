import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { before, describe, it } from "node:test";
import {
  createSelfSignedCertificate,
  createTestCertificateAuthority,
  type TestCertificate,
  type TestCertificateAuthority,
} from "@/lib/testbed/test-certificates";
import { diagnoseChain } from "./chain-diagnosis";

const x509 = (pem: string) => new X509Certificate(pem);

describe("chain diagnosis", () => {
  let root: TestCertificateAuthority;
  let intermediate: TestCertificateAuthority;
  let leaf: TestCertificate;
  let otherRoot: TestCertificateAuthority;

  before(async () => {
    root = await createTestCertificateAuthority("Diagnosis Root");
    intermediate = await root.createIntermediate("Diagnosis Intermediate");
    leaf = await intermediate.issue({ names: ["shop.example.test"] });
    otherRoot = await createTestCertificateAuthority("Unrelated Root");
  });

  it("follows a complete chain to its root", () => {
    assert.deepEqual(diagnoseChain([x509(leaf.certificatePem), x509(intermediate.certificatePem)], [x509(root.certificatePem)]), {
      kind: "anchored",
      anchor: "Diagnosis Root",
    });
    // A root sent along by the server changes nothing.
    assert.deepEqual(diagnoseChain([x509(leaf.certificatePem), x509(intermediate.certificatePem), x509(root.certificatePem)], [x509(root.certificatePem)]), {
      kind: "anchored",
      anchor: "Diagnosis Root",
    });
  });

  it("names the intermediate a server left out when it is known", () => {
    assert.deepEqual(diagnoseChain([x509(leaf.certificatePem)], [x509(root.certificatePem)], [x509(intermediate.certificatePem)]), {
      kind: "missing-intermediates",
      missing: ["Diagnosis Intermediate"],
      anchor: "Diagnosis Root",
    });
  });

  it("names the issuer where an untrusted chain stops", () => {
    assert.deepEqual(diagnoseChain([x509(leaf.certificatePem), x509(intermediate.certificatePem)], [x509(otherRoot.certificatePem)]), {
      kind: "unknown-issuer",
      issuer: "Diagnosis Root",
      servedAlone: false,
    });
    assert.deepEqual(diagnoseChain([x509(leaf.certificatePem), x509(intermediate.certificatePem), x509(root.certificatePem)], []), {
      kind: "unknown-issuer",
      issuer: "Diagnosis Root",
      servedAlone: false,
    });
    assert.deepEqual(diagnoseChain([x509(leaf.certificatePem)], [x509(otherRoot.certificatePem)]), {
      kind: "unknown-issuer",
      issuer: "Diagnosis Intermediate",
      servedAlone: true,
    });
  });

  it("does not take a certificate with the issuer's name but another key for the issuer", async () => {
    const impostor = await createTestCertificateAuthority("Diagnosis Intermediate");
    assert.equal(diagnoseChain([x509(leaf.certificatePem), x509(impostor.certificatePem)], [x509(root.certificatePem)]).kind, "unknown-issuer");
  });

  it("recognises a self-signed leaf, unless it is itself trusted", async () => {
    const selfSigned = await createSelfSignedCertificate(["self.example.test"]);
    assert.deepEqual(diagnoseChain([x509(selfSigned.certificatePem)], [x509(root.certificatePem)]), { kind: "self-signed", subject: "self.example.test" });
    assert.deepEqual(diagnoseChain([x509(selfSigned.certificatePem)], [x509(selfSigned.certificatePem)]), { kind: "anchored", anchor: "self.example.test" });
  });
});
