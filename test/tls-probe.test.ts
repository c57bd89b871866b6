import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { probeTlsEndpoint } from "@/lib/protocol/tls/probe-tls-endpoint";
import { startEndpointScenarios, startTlsTestServer, type EndpointScenarios } from "@/lib/testbed/tls-test-servers";
import { createTestCertificateAuthority } from "@/lib/testbed/test-certificates";

/**
 * The TLS endpoint probe against real local TLS servers, one per situation the endpoint watch
 * must name: each gets its status word and its sentence for the sysadmin.
 */
describe("TLS endpoint probe", () => {
  let scenarios: EndpointScenarios;
  const probe = (port: number, extra: Partial<Parameters<typeof probeTlsEndpoint>[0]> = {}) =>
    probeTlsEndpoint({ host: "127.0.0.1", port, servername: scenarios.name, caBundlePem: scenarios.caBundlePem, handshakeTimeoutMs: 1500, ...extra });

  before(async () => {
    scenarios = await startEndpointScenarios();
  });
  after(async () => {
    await scenarios?.close();
  });

  it("reports a valid certificate signed by the CA given as bundle: chain, fingerprint, names, dates, trust", async () => {
    const result = await probe(scenarios.valid.port);
    assert.equal(result.status, "ok", result.message);
    assert.deepEqual(result.findings, []);
    assert.match(result.message, new RegExp(`^127\\.0\\.0\\.1:${scenarios.valid.port} serves a valid, trusted certificate for watch\\.example\\.test until `));
    const served = result.served!;
    const leaf = new X509Certificate(scenarios.certificates.valid.certificatePem);
    assert.equal(served.leaf.fingerprintSha256, leaf.fingerprint256);
    assert.equal(served.leaf.fingerprintSha256, scenarios.certificates.valid.fingerprintSha256);
    assert.deepEqual(served.leaf.subjectAltNames, ["watch.example.test"]);
    assert.equal(served.leaf.subject, "watch.example.test");
    assert.equal(served.leaf.issuer, scenarios.intermediateCommonName);
    assert.equal(served.leaf.notAfter.getTime(), new Date(leaf.validTo).getTime());
    assert.equal(served.leaf.notBefore.getTime(), new Date(leaf.validFrom).getTime());
    // The chain as served (leaf and intermediate), one PEM per certificate; the root came from the bundle.
    assert.deepEqual(
      served.chain.map((certificate) => new X509Certificate(certificate.pem).fingerprint256),
      [leaf.fingerprint256, new X509Certificate(scenarios.intermediatePem).fingerprint256],
    );
    assert.equal(served.nameMatches, true);
    assert.equal(served.chainTrusted, true);
    assert.equal(served.authorizationError, null);
    assert.equal(served.remoteAddress, "127.0.0.1");
    assert.match(served.protocol ?? "", /^TLSv1\.[23]$/);
  });

  it("without the CA bundle, the same server is issued by a CA the system does not trust", async () => {
    const result = await probe(scenarios.valid.port, { caBundlePem: null });
    assert.equal(result.status, "untrusted");
    assert.equal(
      result.message,
      "The certificate is issued by CertDeck Test Root, which the system does not trust; add the CA bundle (that CA's root certificate).",
    );
    assert.equal(result.served?.chainTrusted, false);
  });

  it("says when the certificate expired", async () => {
    const result = await probe(scenarios.expired.port, { timeZone: "UTC" });
    assert.equal(result.status, "expired");
    const notAfter = new Date(new X509Certificate(scenarios.certificates.expired.certificatePem).validTo);
    const expectedDate = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(notAfter);
    assert.equal(result.message, `The certificate for watch.example.test expired on ${expectedDate}.`);
    // Only the date is wrong: the chain is trusted.
    assert.deepEqual(
      result.findings.map((finding) => finding.status),
      ["expired"],
    );
    assert.equal(result.served?.chainTrusted, true);
    assert.equal(result.served?.authorizationError, "CERT_HAS_EXPIRED");
  });

  it("says when the certificate is not valid yet", async () => {
    const result = await probe(scenarios.notYetValid.port);
    assert.equal(result.status, "not-yet-valid");
    assert.match(result.message, /^The certificate for watch\.example\.test is not valid before .+; if it was just issued, check this server's clock\.$/);
  });

  it("says which names a certificate for the wrong name is for", async () => {
    const result = await probe(scenarios.wrongName.port);
    assert.equal(result.status, "wrong-name");
    assert.equal(result.message, "It serves a certificate for wrong-name-a.example.test, wrong-name-b.example.test, not for watch.example.test.");
    assert.equal(result.served?.nameMatches, false);
    assert.equal(result.served?.chainTrusted, true);
  });

  it("names the untrusted issuer of a chain from another CA", async () => {
    const result = await probe(scenarios.untrusted.port);
    assert.equal(result.status, "untrusted");
    assert.equal(result.message, "The certificate is issued by OtherCA Root, which the system does not trust; add the CA bundle (that CA's root certificate).");
    assert.equal(result.served?.chain.length, 2);
  });

  it("recognises a self-signed certificate", async () => {
    const result = await probe(scenarios.selfSigned.port);
    assert.equal(result.status, "self-signed");
    assert.match(result.message, /self-signed \(issued by itself, watch\.example\.test\), which the system does not trust/);
  });

  it("recognises an incomplete chain, from the leaf's AIA hint or from the known intermediate", async () => {
    const hinted = await probe(scenarios.incompleteChain.port);
    assert.equal(hinted.status, "incomplete-chain");
    assert.match(hinted.message, /sends only its own certificate, without the intermediate CertDeck Test Intermediate that issued it: serve fullchain\.pem/);
    const known = await probe(scenarios.incompleteChain.port, { knownIntermediatesPem: scenarios.intermediatePem });
    assert.equal(known.status, "incomplete-chain");
    assert.match(known.message, /without the intermediate CertDeck Test Intermediate, so clients cannot build the chain to CertDeck Test Root/);
    assert.equal(known.served?.chain.length, 1);
  });

  it("says nothing listens on a closed port", async () => {
    const result = await probe(scenarios.closedPort);
    assert.equal(result.status, "refused");
    assert.equal(result.message, `Nothing listens on 127.0.0.1:${scenarios.closedPort} (connection refused).`);
    assert.equal(result.served, null);
  });

  it("says when a port answers plain HTTP instead of TLS", async () => {
    const result = await probe(scenarios.plainHttp.port);
    assert.equal(result.status, "not-tls");
    assert.match(result.message, /answers, but not with TLS \(probably plain HTTP\)/);
  });

  it("gives up on a server that accepts but never completes a handshake, within the timeout", async () => {
    const result = await probe(scenarios.silent.port, { handshakeTimeoutMs: 300 });
    assert.equal(result.status, "timeout");
    assert.match(result.message, /accepted the connection but did not complete a TLS handshake within 0\.3 s/);
    assert.ok(result.durationMs < 3000, `took ${result.durationMs} ms`);
  });

  it("says when a name does not resolve", async () => {
    const result = await probeTlsEndpoint({ host: "no-such-host.invalid", port: 443, connectTimeoutMs: 3000 });
    assert.equal(result.status, "dns-failed");
    assert.match(result.message, /no-such-host\.invalid/);
  });

  it("connects by name (SNI defaults to it) and over IPv6", async () => {
    const byName = await probeTlsEndpoint({ host: "localhost", port: scenarios.wrongName.port, caBundlePem: scenarios.caBundlePem });
    assert.equal(byName.servername, "localhost");
    assert.equal(byName.status, "wrong-name");
    assert.match(byName.message, /not for localhost\./);

    const ca = await createTestCertificateAuthority("IPv6 Test Root");
    const leaf = await ca.issue({ names: ["::1"] });
    const server = await startTlsTestServer({ chainPem: leaf.certificatePem, privateKeyPem: leaf.privateKeyPem, host: "::1" });
    try {
      const result = await probeTlsEndpoint({ host: "[::1]", port: server.port, caBundlePem: ca.certificatePem });
      assert.equal(result.status, "ok", result.message);
      assert.equal(result.endpoint, `[::1]:${server.port}`);
      assert.equal(result.servername, null);
      assert.equal(result.expectedName, "::1");
      assert.equal(result.served?.leaf.fingerprintSha256, leaf.fingerprintSha256);
    } finally {
      await server.close();
    }
  });
});
