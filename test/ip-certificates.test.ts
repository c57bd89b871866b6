/**
 * IP address certificates (RFC 8738) and TLS-ALPN-01 (RFC 8737) through the real job runner
 * against Pebble: the order carries type "ip" identifiers, the CSR an iPAddress SAN, and the CA
 * validates by connecting to the address itself (HTTP-01 on Pebble's httpPort, TLS-ALPN-01 on its
 * tlsPort, where the job's acme-tls/1 listener answers).
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppError } from "../lib/core/app-error";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";

describe("IP address certificates and TLS-ALPN-01 against Pebble", () => {
  let app: AppHarness;
  let accountId: string;

  before(async () => {
    app = await startAppHarness();
    accountId = await app.registerPebbleAccount();
    await app.modules.settings.setSetting("standalonePort", app.httpPort);
    await app.modules.settings.setSetting("tlsAlpnPort", app.pebble.tlsPort);
  });

  after(async () => app?.stop());

  async function issue(names: string, challengeMethod: "http-01-app" | "http-01-standalone" | "tls-alpn-01") {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names, accountId, keyType: "ec-p256", challengeMethod });
    const job = await app.waitForJob(created.jobId);
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId: created.jobId }, orderBy: { id: "asc" }, select: { message: true } });
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId }, include: { currentVersion: true } });
    return { job, events: events.map((event) => event.message), certificate };
  }

  /** Deletes a certificate, so the next test can issue one with the same name. */
  async function remove(certificateId: string) {
    const { deleteCertificate } = await import("../lib/domain/certificates/delete-certificate");
    const { SYSTEM_ACTOR } = await import("../lib/domain/command/actor");
    assert.equal((await deleteCertificate(SYSTEM_ACTOR, { id: certificateId })).id, certificateId);
  }

  function preflightKinds(lastPreflight: string | null): string[] {
    return (JSON.parse(lastPreflight ?? "{}") as { checks: Array<{ kind: string }> }).checks.map((check) => check.kind);
  }

  function assertIpOnlyLeaf(chainPem: string, address: string) {
    const leaf = new X509Certificate(chainPem);
    assert.equal(leaf.subjectAltName, `IP Address:${address}`, "one iPAddress SAN and no dNSName");
    return leaf;
  }

  it("issues a certificate for 127.0.0.1 over HTTP-01 with the standalone listener", async () => {
    const { job, events, certificate } = await issue("127.0.0.1", "http-01-standalone");
    assert.deepEqual(job, { status: "succeeded", error: null });
    assert.deepEqual(JSON.parse(certificate.identifiers), [{ type: "ip", value: "127.0.0.1" }]);
    assertIpOnlyLeaf(certificate.currentVersion!.chainPem, "127.0.0.1");
    assert.ok(events.some((message) => message.startsWith("HTTP-01 answers published (standalone listener on port")));
    // The pre-flight check asked no DNS or CAA questions about an address.
    assert.deepEqual(preflightKinds(certificate.lastPreflight).sort(), ["host-address", "http", "standalone-port"]);
    const live = await readFile(path.join(app.dataDir, "live", "127.0.0.1", "cert.pem"), "utf8");
    assert.equal(new X509Certificate(live).serialNumber.toLowerCase(), certificate.currentVersion!.serial);
    await remove(certificate.id);
  });

  it("issues a certificate for 127.0.0.1 over HTTP-01 served by CertDeck's route", async () => {
    const route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    try {
      const { job, certificate } = await issue("127.0.0.1", "http-01-app");
      assert.deepEqual(job, { status: "succeeded", error: null });
      assertIpOnlyLeaf(certificate.currentVersion!.chainPem, "127.0.0.1");
      assert.ok(
        route.requests.some((url) => url.startsWith("/.well-known/acme-challenge/")),
        "Pebble fetched the challenge from http://127.0.0.1/",
      );
      assert.equal(await app.modules.db.challengeResponse.count(), 0, "tokens are removed after validation");
      await remove(certificate.id);
    } finally {
      await route.close();
    }
  });

  it("issues a certificate for 127.0.0.1 over TLS-ALPN-01, then closes the listener", async () => {
    const { job, events, certificate } = await issue("127.0.0.1", "tls-alpn-01");
    assert.deepEqual(job, { status: "succeeded", error: null });
    assertIpOnlyLeaf(certificate.currentVersion!.chainPem, "127.0.0.1");
    assert.ok(events.includes(`TLS-ALPN-01 answers published (TLS-ALPN-01 listener on port ${app.pebble.tlsPort})`), events.join("\n"));
    assert.deepEqual(preflightKinds(certificate.lastPreflight).sort(), ["host-address", "standalone-port"]);
    await assertPortFree(app.pebble.tlsPort);
    await remove(certificate.id);
  });

  it("issues a certificate for DNS names over TLS-ALPN-01", async () => {
    const { job, certificate } = await issue("tls.example.test alpn.example.test", "tls-alpn-01");
    assert.deepEqual(job, { status: "succeeded", error: null });
    assert.equal(new X509Certificate(certificate.currentVersion!.chainPem).subjectAltName, "DNS:tls.example.test, DNS:alpn.example.test");
    await assertPortFree(app.pebble.tlsPort);
  });

  it("refuses to order when the TLS-ALPN-01 port is taken, and names the program", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(app.pebble.tlsPort, () => resolve()));
    try {
      const { job, certificate } = await issue("busy-tls.example.test", "tls-alpn-01");
      assert.equal(job.status, "failed");
      assert.match(
        job.error ?? "",
        new RegExp(
          `^Port ${app.pebble.tlsPort} is held by node \\(pid ${process.pid}\\); TLS-ALPN-01 needs it for the few seconds the CA validates\\. Don't stop node: use HTTP-01`,
        ),
      );
      assert.equal(certificate.currentVersionId, null);
      assert.equal(certificate.lastErrorCode, "preflight");
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it("explains a TLS-ALPN-01 validation the CA could not reach, and closes the listener after the failure", async () => {
    // The listener opens on a free port, but the CA connects to its own tlsPort, where nothing
    // answers: what an operator sees when port 443 is not forwarded to CertDeck.
    const elsewhere = await freePort();
    await app.modules.settings.setSetting("tlsAlpnPort", elsewhere);
    try {
      const { job, certificate } = await issue("unreachable-tls.example.test", "tls-alpn-01");
      assert.equal(job.status, "failed");
      assert.match(job.error ?? "", /^unreachable-tls\.example\.test: validation failed because the CA did not get CertDeck's TLS-ALPN-01 answer on port 443/);
      assert.doesNotMatch(job.error ?? "", /acme-challenge/);
      assert.equal(certificate.lastErrorCode, "wrong-response");
      await assertPortFree(elsewhere);
    } finally {
      await app.modules.settings.setSetting("tlsAlpnPort", app.pebble.tlsPort);
    }
  });

  it("refuses IP addresses for DNS-01 and wildcards for TLS-ALPN-01 before storing anything", async () => {
    const before = await app.modules.db.certificate.count();
    const namesRefusal = (pattern: RegExp) => (error: AppError) => {
      assert.match(error.fieldErrors?.names?.[0] ?? "", pattern);
      return true;
    };
    await assert.rejects(
      app.modules.createCertificate(SYSTEM_ACTOR, { names: "192.0.2.7", accountId, keyType: "ec-p256", challengeMethod: "dns-01", dnsProviderId: "none" }),
      namesRefusal(/IP addresses cannot be validated with DNS-01/),
    );
    await assert.rejects(
      app.modules.createCertificate(SYSTEM_ACTOR, { names: "*.example.test", accountId, keyType: "ec-p256", challengeMethod: "tls-alpn-01" }),
      namesRefusal(/wildcard names need the DNS-01 challenge/),
    );
    assert.equal(await app.modules.db.certificate.count(), before);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function assertPortFree(port: number) {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, () => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
