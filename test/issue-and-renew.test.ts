import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { lstat, readFile, readlink, stat } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import type { AppError } from "../lib/core/app-error";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

describe("issuing and renewing through the job runner against Pebble", () => {
  let app: AppHarness;
  let accountId: string;

  before(async () => {
    app = await startAppHarness();
    const account = await app.modules.createAccount(app.admin, {
      directoryUrl: app.pebble.directoryUrl,
      email: "admin@example.test",
      termsAgreed: true,
      caBundlePem: app.pebble.httpsCaPem,
      privateNetwork: true,
    });
    assert.ok(account.accountId, JSON.stringify(account));
    accountId = account.accountId;
    assert.equal((await app.waitForJob(account.jobId)).status, "succeeded");
    const stored = await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: accountId } });
    assert.equal(stored.status, "valid");
    assert.match(stored.accountUrl ?? "", /^https:\/\/127\.0\.0\.1:\d+\/my-account\//);
  });

  after(async () => app?.stop());

  async function expectIssuedVersion(certificateId: string, version: number) {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({
      where: { id: certificateId },
      include: { currentVersion: true },
    });
    assert.equal(certificate.status, "valid");
    assert.equal(certificate.lastError, null);
    const current = certificate.currentVersion!;
    assert.equal(current.version, version);
    const leaf = new X509Certificate(current.chainPem);
    assert.equal(current.serial, leaf.serialNumber.toLowerCase());
    assert.equal(current.notAfter.getTime(), new Date(leaf.validTo).getTime());
    assert.equal(current.notBefore.getTime(), new Date(leaf.validFrom).getTime());
    assert.equal(current.fingerprintSha256, leaf.fingerprint256);
    assert.equal(certificate.notAfter?.getTime(), current.notAfter.getTime());
    // The chain verifies up to this Pebble run's own root.
    const root = new X509Certificate(await app.pebble.getIssuerRootPem());
    const chain = current.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    assert.ok(chain.length >= 2, "leaf plus at least one intermediate");
    const top = new X509Certificate(chain[chain.length - 1]);
    assert.ok(top.verify(root.publicKey), "the chain's last certificate is signed by Pebble's root");

    const live = path.join(app.dataDir, "live", certificate.name);
    for (const file of ["cert", "chain", "fullchain", "privkey"]) {
      assert.equal(await readlink(path.join(live, `${file}.pem`)), path.join("..", "..", "archive", certificate.name, `${file}${version}.pem`));
      assert.ok((await lstat(path.join(live, `${file}.pem`))).isSymbolicLink());
    }
    const keyMode = (await stat(path.join(app.dataDir, "archive", certificate.name, `privkey${version}.pem`))).mode & 0o777;
    assert.equal(keyMode, 0o600);
    const livePem = await readFile(path.join(live, "cert.pem"), "utf8");
    assert.equal(new X509Certificate(livePem).serialNumber.toLowerCase(), current.serial);
    const liveKey = await readFile(path.join(live, "privkey.pem"), "utf8");
    assert.ok(leaf.checkPrivateKey((await import("node:crypto")).createPrivateKey(liveKey)), "privkey.pem matches cert.pem");
    assert.equal(await readFile(path.join(live, "fullchain.pem"), "utf8"), current.chainPem.replace(/\n*$/, "\n"));
    return { certificate, leaf };
  }

  it("issues a two-name certificate through the app-served HTTP-01 route, then renews it to version 2", async () => {
    const route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    try {
      const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "www.shop.example\nshop.example",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
      });
      const job = await app.waitForJob(created.jobId);
      assert.deepEqual(job, { status: "succeeded", error: null });
      const { certificate, leaf } = await expectIssuedVersion(created.certificateId, 1);
      assert.equal(certificate.name, "www.shop.example");
      assert.equal(leaf.subjectAltName, "DNS:www.shop.example, DNS:shop.example");
      assert.ok(
        route.requests.some((url) => url.startsWith("/.well-known/acme-challenge/")),
        "Pebble fetched the challenge from the route",
      );
      assert.equal(await app.modules.db.challengeResponse.count(), 0, "tokens are removed after validation");

      // Renew: a second click while the first renewal is queued creates no second job.
      const first = await app.modules.queue.enqueueCertificateJob(created.certificateId, "renew");
      const second = await app.modules.queue.enqueueCertificateJob(created.certificateId, "renew");
      assert.equal(first.isNew, true);
      assert.equal(second.jobId, first.jobId);
      assert.equal(second.isNew, false);
      assert.equal((await app.waitForJob(first.jobId)).status, "succeeded");
      const renewed = await expectIssuedVersion(created.certificateId, 2);
      assert.notEqual(renewed.certificate.currentVersion!.serial, certificate.currentVersion!.serial);
      assert.equal(await app.modules.db.certificateVersion.count({ where: { certificateId: created.certificateId } }), 2);
      // Version 1's files stay in archive/.
      await stat(path.join(app.dataDir, "archive", "www.shop.example", "cert1.pem"));
    } finally {
      await route.close();
    }
  });

  it("issues a two-name RSA certificate through the standalone listener", async () => {
    await app.modules.settings.setSetting("standalonePort", app.httpPort);
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "api.example.test, static.example.test",
      accountId,
      keyType: "rsa-2048",
      challengeMethod: "http-01-standalone",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const { leaf } = await expectIssuedVersion(created.certificateId, 1);
    assert.equal(leaf.subjectAltName, "DNS:api.example.test, DNS:static.example.test");
    assert.equal(leaf.publicKey.asymmetricKeyType, "rsa");
    assert.equal(leaf.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    // The listener is closed once the challenges are final: the port is free again.
    const probe = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    await probe.close();
  });

  it("explains in plain words when the standalone port is taken, and records it on the certificate", async () => {
    const squatter = await serveChallengeRoute(app.httpPort, { GET: async () => new Response("nginx", { status: 404 }) });
    try {
      await app.modules.settings.setSetting("standalonePort", app.httpPort);
      const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "busy.example.test",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-standalone",
      });
      // The pre-flight check finds the port taken and names the process (this test's node), before any order.
      const job = await app.waitForJob(created.jobId);
      assert.equal(job.status, "failed");
      assert.match(
        job.error ?? "",
        new RegExp(`^Port ${app.httpPort} is held by node \\(pid ${process.pid}\\)\\. Don't stop node: switch this certificate to "served by CertDeck"`),
      );
      assert.match(job.error ?? "", /Nothing was sent to the CA\.$/);
      // Said once: the refusal is the job's last line, not also the line before it.
      const refusalLines = (await app.modules.db.jobEvent.findMany({ where: { jobId: created.jobId }, orderBy: { id: "asc" }, select: { message: true } }))
        .map((event) => event.message)
        .filter((message) => message.startsWith(`Port ${app.httpPort} is held by`));
      assert.deepEqual(refusalLines, [job.error]);
      const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } });
      assert.equal(certificate.status, "failed");
      assert.equal(certificate.lastError, job.error);
      assert.equal(certificate.lastErrorCode, "preflight");
      assert.equal(certificate.currentVersionId, null);
      assert.equal(await app.modules.db.acmeRateEvent.count({ where: { kind: "order" } }), 3, "no order was placed for it");

      // "Issue anyway" goes ahead, and the listener itself reports the busy port.
      const { jobId } = await app.modules.queue.enqueueCertificateJob(created.certificateId, "issue", { jobOptions: { issueAnyway: true } });
      const anyway = await app.waitForJob(jobId);
      assert.equal(anyway.status, "failed");
      assert.match(anyway.error ?? "", new RegExp(`^Port ${app.httpPort} is already in use by another program`));
      const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, select: { message: true } });
      assert.ok(
        events.some((event) => event.message.includes('"issue anyway" was chosen')),
        "the job log records the override",
      );
      assert.equal((await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } })).lastErrorCode, "port-in-use");
    } finally {
      await squatter.close();
    }
  });

  it("deletes a certificate by moving its files aside, and refuses while a job is active", async () => {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "old.example.test",
      accountId,
      keyType: "ec-p384",
      challengeMethod: "http-01-standalone",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const { deleteCertificate } = await import("../lib/domain/certificates/delete-certificate");

    const queued = await app.modules.db.job.create({
      data: { type: "renew", certificateId: created.certificateId, runAfter: new Date(Date.now() + 3600_000) },
    });
    await assert.rejects(deleteCertificate(SYSTEM_ACTOR, { id: created.certificateId }), {
      name: "AppError",
      userMessage: "A job is queued or running for this certificate. Wait for it to finish, then delete.",
    });
    await app.modules.db.job.delete({ where: { id: queued.id } });

    const deleted = await deleteCertificate(SYSTEM_ACTOR, { id: created.certificateId });
    if (!deleted.movedTo) throw new Error("files were not moved");
    assert.equal(await app.modules.db.certificate.count({ where: { id: created.certificateId } }), 0);
    assert.equal(await app.modules.db.certificateVersion.count({ where: { certificateId: created.certificateId } }), 0);
    await assert.rejects(stat(path.join(app.dataDir, "live", "old.example.test")), { code: "ENOENT" });
    // The moved live/ links still resolve inside deleted/<timestamp>/.
    const movedKey = path.join(deleted.movedTo, "live", "old.example.test", "privkey.pem");
    assert.match(await readFile(movedKey, "utf8"), /BEGIN (EC )?PRIVATE KEY/);
    assert.equal((await stat(movedKey)).mode & 0o777, 0o600);
  });

  it("refuses bad input and stores nothing", async () => {
    const before = await app.modules.db.certificate.count();
    const refusal = app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "good.example.test\n<script>\n*.wild.example.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    await assert.rejects(refusal, (error: AppError) => {
      assert.equal(error.code, "invalid_input");
      assert.equal(error.fieldErrors?.names?.length, 2);
      assert.match(error.fieldErrors!.names![0], /"<script>"/);
      assert.match(error.fieldErrors!.names![1], /DNS-01/);
      return true;
    });
    assert.equal(await app.modules.db.certificate.count(), before);
    assert.equal(await app.modules.db.job.count({ where: { status: "queued" } }), 0);
  });
});
