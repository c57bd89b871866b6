import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { waitFor } from "../lib/testbed/wait-for";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

/**
 * When the CA says no, the operator reads why: the reason code on the certificate, a plain
 * sentence naming the address the CA tried, and the raw problem in the job log. Staged with
 * Pebble and its DNS server. "Issue anyway" skips the pre-flight check so the CA itself fails.
 */
describe("failure reasons from the CA", () => {
  let app: AppHarness;
  let accountId: string;

  before(async () => {
    app = await startAppHarness();
    accountId = await app.registerPebbleAccount();
  });
  after(async () => app?.stop());

  async function issueAnyway(name: string, challengeMethod: "http-01-app" | "http-01-standalone" | "tls-alpn-01" = "http-01-app") {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names: name, accountId, keyType: "ec-p256", challengeMethod, issueAnyway: true });
    return created;
  }

  async function certificateOf(id: string) {
    return app.modules.db.certificate.findUniqueOrThrow({ where: { id } });
  }

  it("the challenge URL answering 404: the wrong-response reason, with the URL and the raw problem in the log", async () => {
    const nginx = await serveChallengeRoute(app.httpPort, { GET: async () => new Response("<h1>404 Not Found</h1>", { status: 404 }) });
    try {
      const created = await issueAnyway("missing-route.example.test");
      const job = await app.waitForJob(created.jobId);
      assert.equal(job.status, "failed");
      const certificate = await certificateOf(created.certificateId);
      assert.equal(certificate.lastErrorCode, "wrong-response");
      assert.match(
        certificate.lastError ?? "",
        /^missing-route\.example\.test: validation failed because the CA reached a web server that did not return the expected answer/,
      );
      assert.match(
        certificate.lastError ?? "",
        new RegExp(`http://missing-route\\.example\\.test:${app.httpPort}/\\.well-known/acme-challenge/\\S+ returned 404`),
      );
      const raw = await app.modules.db.jobEvent.findFirstOrThrow({ where: { jobId: created.jobId, message: "missing-route.example.test: the CA's answer" } });
      assert.match(raw.detail ?? "", /urn:ietf:params:acme:error:(unauthorized|incorrectResponse)/);
      assert.equal(
        await app.modules.db.job.count({ where: { certificateId: created.certificateId, status: "queued" } }),
        0,
        "a permanent failure is not retried",
      );
    } finally {
      await nginx.close();
    }
  });

  it("an A record at 127.0.0.2 (nothing listens): the connection reason, naming the address the CA used", async () => {
    await app.pebble.addA("elsewhere.example.test", ["127.0.0.2"]);
    // The route answers on 127.0.0.1 only: had the CA used that address, validation would pass.
    const route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    const created = await issueAnyway("elsewhere.example.test");
    try {
      assert.equal((await app.waitForJob(created.jobId)).status, "failed");
    } finally {
      await route.close();
    }
    const certificate = await certificateOf(created.certificateId);
    assert.equal(certificate.lastErrorCode, "connection");
    assert.match(certificate.lastError ?? "", /^elsewhere\.example\.test: validation failed because the CA could not connect to the server\./);
    assert.match(certificate.lastError ?? "", /127\.0\.0\.2/, "names the address the CA tried");
  });

  it("the rate-limit guard holds back a retry that would exceed the failed-validation limit", async () => {
    await app.modules.db.acmeAccount.update({ where: { id: accountId }, data: { failedValidationsPerHourLimit: 1 } });
    try {
      const certificate = await app.modules.db.certificate.findFirstOrThrow({ where: { name: "elsewhere.example.test" } });
      const { jobId } = await app.modules.queue.enqueueCertificateJob(certificate.id, "renew", { jobOptions: { issueAnyway: true } });
      const readJob = () => app.modules.db.job.findUniqueOrThrow({ where: { id: jobId } });
      // Deferred: queued again to run after the hour (the assertions below say what it was otherwise).
      const job = await waitFor(readJob, {
        until: (job) => job.status === "queued" && job.runAfter > new Date(Date.now() + 30 * 60_000),
        timeoutMs: 10_000,
      }).catch(readJob);
      assert.equal(job.status, "queued", "deferred, not failed");
      const minutes = (job.runAfter.getTime() - Date.now()) / 60_000;
      assert.ok(minutes > 55 && minutes <= 60, `scheduled when the hour is over, got ${minutes} min`);
      const updated = await certificateOf(certificate.id);
      assert.equal(updated.lastErrorCode, "rate-limit-guard");
      assert.match(updated.lastError ?? "", /^Not sent to the CA: elsewhere\.example\.test failed validation 1 times in the last hour \(limit 1\)/);
      assert.equal(await app.modules.db.acmeRateEvent.count({ where: { accountId, kind: "order" } }), 2, "the held-back retry placed no order");
      await app.modules.db.job.update({ where: { id: jobId }, data: { status: "failed" } });
    } finally {
      await app.modules.db.acmeAccount.update({ where: { id: accountId }, data: { failedValidationsPerHourLimit: null } });
    }
  });

  it("the CA stopped: 'CA unreachable' within seconds, a retry is scheduled, and nothing is lost", async () => {
    const route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "steady.example.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    await route.close();
    const before = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } });

    await app.pebble.stop();
    const started = Date.now();
    const { jobId } = await app.modules.queue.enqueueCertificateJob(created.certificateId, "renew");
    const readJob = () => app.modules.db.job.findUniqueOrThrow({ where: { id: jobId } });
    // Queued again after its first attempt (the assertions below say what it was otherwise).
    const job = await waitFor(readJob, { until: (job) => job.status === "queued" && job.attempts === 1, timeoutMs: 15_000 }).catch(readJob);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 5, `reported within seconds, took ${seconds}`);
    assert.equal(job.status, "queued", "queued again for a retry");
    assert.ok(job.runAfter.getTime() > Date.now() + 5000, "the retry waits");
    const certificate = await certificateOf(created.certificateId);
    assert.equal(certificate.lastErrorCode, "ca-unreachable");
    assert.match(certificate.lastError ?? "", /^The CA at 127\.0\.0\.1:\d+ refused the connection/);
    assert.equal(certificate.currentVersionId, before.currentVersionId, "the live version is untouched");
    const retryEvent = await app.modules.db.jobEvent.findFirstOrThrow({ where: { jobId, step: "retry" } });
    assert.match(retryEvent.message, /Trying again /);
    await app.modules.db.job.update({ where: { id: jobId }, data: { status: "failed" } });
  });
});
