import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

/**
 * Renewals that run themselves, against a real Pebble and the real job runner. The scheduler's
 * clock is injected (runSchedulerTick(now)) so "later" does not mean waiting in real time.
 */
describe("the renewal scheduler", () => {
  let app: AppHarness;
  let accountId: string;
  let scheduler: typeof import("../lib/jobs/scheduler");
  const webhookBodies: Array<Record<string, unknown>> = [];
  let webhook: http.Server;

  before(async () => {
    app = await startAppHarness();
    scheduler = await import("../lib/jobs/scheduler");
    accountId = await app.registerPebbleAccount();
    await app.modules.settings.setSetting("standalonePort", app.httpPort);

    webhook = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        webhookBodies.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    const { encryptSecret } = await import("../lib/data/secret-box");
    const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
    await app.modules.db.notificationChannel.create({
      data: { type: "webhook", name: "ops chat", configEnc: encryptSecret(JSON.stringify({ type: "webhook", url, privateNetwork: true })) },
    });
  });

  after(async () => {
    webhook?.close();
    await app?.stop();
  });

  async function issue(name: string, extra: Record<string, unknown> = {}) {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names: name, accountId, keyType: "ec-p256", challengeMethod: "http-01-standalone" });
    if (Object.keys(extra).length > 0) await app.modules.db.certificate.update({ where: { id: created.certificateId }, data: extra });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    return app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId }, include: { currentVersion: true } });
  }

  /** Keeps earlier tests' certificates out of this test's ticks: only `ids` can come due. */
  async function parkAllBut(...ids: string[]) {
    await app.modules.db.certificate.updateMany({ where: { id: { notIn: ids } }, data: { renewAfter: new Date("2100-01-01T00:00:00Z") } });
  }

  async function activeJobs() {
    return app.modules.db.job.findMany({ where: { status: { in: ["queued", "running"] } }, select: { id: true, certificateId: true, type: true } });
  }

  it("plans the renewal at one third of the lifetime left, then renews without a click once due", async () => {
    const certificate = await issue("due.example.test");
    const version = certificate.currentVersion!;
    const lifetime = version.notAfter.getTime() - version.notBefore.getTime();
    assert.equal(certificate.renewReason, "lifetime");
    assert.ok(Math.abs(certificate.renewAfter!.getTime() - (version.notAfter.getTime() - lifetime / 3)) < 2, "one third of the lifetime left");

    const early = await scheduler.runSchedulerTick(new Date(certificate.renewAfter!.getTime() - 60_000));
    assert.deepEqual(early.renewalsQueued, [], "not due a minute before");

    const due = await scheduler.runSchedulerTick(new Date(certificate.renewAfter!.getTime() + 1000));
    assert.equal(due.renewalsQueued.length, 1);
    assert.deepEqual(await app.waitForJob(due.renewalsQueued[0]), { status: "succeeded", error: null });
    const renewed = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificate.id }, include: { currentVersion: true } });
    assert.equal(renewed.currentVersion!.version, 2);
    assert.notEqual(renewed.currentVersion!.serial, version.serial);
    assert.equal(renewed.currentVersion!.deployStatus, "deployed");
    const queuedEvent = await app.modules.db.jobEvent.findFirstOrThrow({ where: { jobId: due.renewalsQueued[0], step: "queue" } });
    assert.equal(queuedEvent.message, "Renew queued: the scheduler found it due");
  });

  it("queues one job when two ticks race, and respects the concurrency setting", async () => {
    const first = await issue("race-one.example.test");
    const second = await issue("race-two.example.test");
    await parkAllBut(first.id, second.id);
    await app.modules.settings.setSetting("renewalConcurrency", 1);
    // Hold the runner back so the queued jobs stay queued while the ticks race.
    const later = new Date(Math.max(first.renewAfter!.getTime(), second.renewAfter!.getTime()) + 1000);
    const ticks = await Promise.all([scheduler.runSchedulerTick(later), scheduler.runSchedulerTick(later)]);
    const queued = ticks.flatMap((tick) => tick.renewalsQueued);
    assert.equal(queued.length, 1, "concurrency 1: one renewal at a time, whatever the number of ticks");
    for (const jobId of queued) await app.waitForJob(jobId);
    await app.modules.settings.setSetting("renewalConcurrency", 4);
    const rest = await scheduler.runSchedulerTick(later);
    const renewedIds = async (jobIds: string[]) =>
      (await app.modules.db.job.findMany({ where: { id: { in: jobIds } }, select: { certificateId: true } })).map((job) => job.certificateId);
    const firstRenewed = await renewedIds(queued);
    const other = firstRenewed[0] === first.id ? second.id : first.id;
    assert.ok((await renewedIds(rest.renewalsQueued)).includes(other), "the other certificate follows on a later tick");
    for (const jobId of rest.renewalsQueued) assert.equal((await app.waitForJob(jobId)).status, "succeeded");
    assert.deepEqual(await activeJobs(), []);
  });

  it("backs off after a failed automatic renewal and notifies, then recovers", async () => {
    const certificate = await issue("flaky.example.test");
    await parkAllBut(certificate.id);
    // Due now in real time, so the backoff (recorded with the real clock) and the ticks agree.
    await app.modules.db.certificate.update({ where: { id: certificate.id }, data: { renewAfter: new Date(Date.now() - 1000) } });
    const squatter = await serveChallengeRoute(app.httpPort, { GET: async () => new Response("nginx", { status: 404 }) });
    const dueAt = new Date();
    let failedJobId: string;
    try {
      const tick = await scheduler.runSchedulerTick(dueAt);
      assert.equal(tick.renewalsQueued.length, 1);
      failedJobId = tick.renewalsQueued[0];
      assert.equal((await app.waitForJob(failedJobId)).status, "failed");
    } finally {
      await squatter.close();
    }
    const failed = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    assert.equal(failed.consecutiveFailures, 1);
    assert.equal(failed.status, "failed");
    const backoffHours = (failed.retryNotBefore!.getTime() - failed.lastErrorAt!.getTime()) / 3600_000;
    assert.ok(Math.abs(backoffHours - 1) < 0.01, `first backoff is one hour, got ${backoffHours}`);
    const failureMessage = webhookBodies.find((body) => body.event === "renewal-failed");
    assert.ok(failureMessage, "the webhook got the failure");
    assert.match(String(failureMessage.text), /flaky\.example\.test/);
    assert.match(String(failureMessage.text), /held by node/);

    const duringBackoff = await scheduler.runSchedulerTick(new Date(Date.now() + 30 * 60_000));
    assert.deepEqual(duringBackoff.renewalsQueued, [], "no retry inside the backoff");
    const afterBackoff = await scheduler.runSchedulerTick(new Date(failed.retryNotBefore!.getTime() + 1000));
    assert.equal(afterBackoff.renewalsQueued.length, 1);
    assert.deepEqual(await app.waitForJob(afterBackoff.renewalsQueued[0]), { status: "succeeded", error: null });
    const recovered = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    assert.equal(recovered.consecutiveFailures, 0);
    assert.equal(recovered.retryNotBefore, null);
    assert.ok(
      webhookBodies.some((body) => body.event === "recovered"),
      "recovery is announced",
    );
  });

  it("test renewal (dry run) goes through the CA without touching the live certificate", async () => {
    const certificate = await issue("dry.example.test");
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificate.id, "dry-run");
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    const after = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificate.id }, include: { currentVersion: true } });
    assert.equal(after.currentVersion!.id, certificate.currentVersion!.id);
    assert.equal(await app.modules.db.certificateVersion.count({ where: { certificateId: certificate.id } }), 1);
    assert.equal(after.renewAfter!.getTime(), certificate.renewAfter!.getTime(), "not counted as a renewal");
    const messages = (await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } })).map((event) => event.message);
    assert.ok(
      messages.some((message) => /this CA has no separate staging directory/.test(message)),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((message) => /issued a test certificate .* it was discarded/.test(message)),
      messages.join("\n"),
    );
    const liveCert = await readFile(path.join(app.dataDir, "live", "dry.example.test", "cert.pem"), "utf8");
    assert.equal(liveCert.trim(), certificate.currentVersion!.chainPem.split("-----END CERTIFICATE-----")[0].trim() + "\n-----END CERTIFICATE-----");
  });

  it("runs pre-, post- and deploy hooks with certbot's environment, and a failing deploy hook marks the version and notifies", async () => {
    const hookLog = path.join(app.dataDir, "hooks.log");
    const certificate = await issue("hooked.example.test", {
      preHook: `echo "pre ran" >> ${hookLog}`,
      postHook: `echo "post ran" >> ${hookLog}`,
      deployHook: `echo "lineage=$RENEWED_LINEAGE domains=$RENEWED_DOMAINS" >> ${hookLog}; echo "reloading"; exit 0`,
    });
    // The first issuance already ran the hooks once (certonly runs them too).
    const first = await readFile(hookLog, "utf8");
    assert.equal(first, `pre ran\npost ran\nlineage=${path.join(app.dataDir, "live", "hooked.example.test")} domains=hooked.example.test\n`);
    assert.equal(certificate.currentVersion!.deployStatus, "deployed");

    await app.modules.db.certificate.update({ where: { id: certificate.id }, data: { deployHook: 'echo "nginx: [emerg] bad config"; exit 3' } });
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificate.id, "renew");
    assert.equal((await app.waitForJob(jobId)).status, "succeeded", "the certificate was issued; the deploy is what failed");
    const renewed = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificate.id }, include: { currentVersion: true } });
    assert.equal(renewed.currentVersion!.version, 2);
    assert.equal(renewed.currentVersion!.deployStatus, "deploy-failed");
    assert.match(renewed.currentVersion!.deployError ?? "", /exited with code 3/);
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } });
    assert.ok(events.some((event) => event.level === "error" && /issued, not deployed/.test(event.message)));
    assert.ok(
      events.some((event) => (event.detail ?? "").includes("nginx: [emerg] bad config")),
      "hook output is in the log",
    );
    const notification = webhookBodies.find((body) => body.event === "deploy-failed");
    assert.ok(notification, "the webhook got the deploy failure");
    assert.match(String(notification.text), /hooked\.example\.test/);
  });
});
