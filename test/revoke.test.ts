import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";

/** Revocation at a real CA (Pebble) with the account key and a reason. */
describe("revoking a certificate", () => {
  let app: AppHarness;
  let route: Awaited<ReturnType<typeof serveChallengeRoute>>;

  before(async () => {
    app = await startAppHarness();
    route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
  });
  after(async () => {
    await route?.close();
    await app?.stop();
  });

  it("revokes the current version with the chosen reason, once", async () => {
    const accountId = await app.registerPebbleAccount();
    const created = await app.modules.createCertificate({ names: "retired.example.test", accountId, keyType: "ec-p256", challengeMethod: "http-01-app" });
    assert.equal(created.ok, true);
    if (!created.ok) return;
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });

    const { jobId } = await app.modules.queue.enqueueCertificateJob(created.certificateId, "revoke", { jobOptions: { revocationReason: "cessationOfOperation" } });
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    const version = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId: created.certificateId } });
    assert.ok(version.revokedAt, "marked revoked");
    assert.equal(version.revocationReason, "cessationOfOperation");
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } });
    assert.ok(events.some((event) => event.message.startsWith("Asking the CA to revoke version 1: Cessation of operation")));

    // A second revocation does not go to the CA again (Pebble would refuse: already revoked).
    const again = await app.modules.queue.enqueueCertificateJob(created.certificateId, "revoke", { jobOptions: { revocationReason: "keyCompromise" } });
    assert.deepEqual(await app.waitForJob(again.jobId), { status: "succeeded", error: null });
    assert.equal((await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId: created.certificateId } })).revocationReason, "cessationOfOperation");
  });

  it("refuses a revoke job without a valid reason", async () => {
    const certificate = await app.modules.db.certificate.findFirstOrThrow();
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificate.id, "revoke", { jobOptions: { revocationReason: "because" } });
    const job = await app.waitForJob(jobId);
    assert.deepEqual(job, { status: "failed", error: "No valid revocation reason was given." });
  });
});
