import assert from "node:assert/strict";
import { readdir, stat } from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

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
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "retired.example.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });

    const { jobId } = await app.modules.queue.enqueueCertificateJob(created.certificateId, "revoke", {
      jobOptions: { revocationReason: "cessationOfOperation" },
    });
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    const version = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId: created.certificateId } });
    assert.ok(version.revokedAt, "marked revoked");
    assert.equal(version.revocationReason, "cessationOfOperation");
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } });
    assert.ok(events.some((event) => event.message.startsWith("Asking the CA to revoke version 1: Cessation of operation")));

    // A second revocation does not go to the CA again (Pebble would refuse: already revoked).
    const again = await app.modules.queue.enqueueCertificateJob(created.certificateId, "revoke", { jobOptions: { revocationReason: "keyCompromise" } });
    assert.deepEqual(await app.waitForJob(again.jobId), { status: "succeeded", error: null });
    assert.equal(
      (await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId: created.certificateId } })).revocationReason,
      "cessationOfOperation",
    );
  });

  /** What Pebble itself says about a certificate (management API, /cert-status-by-serial/<hex>). */
  function pebbleCertificateStatus(serialHex: string): Promise<{ Status: string; Reason?: number }> {
    const url = `${app.pebble.managementUrl}/cert-status-by-serial/${serialHex.replace(/^0+/, "")}`;
    return new Promise((resolve, reject) => {
      https
        .get(url, { ca: app.pebble.httpsCaPem }, (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
          response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`HTTP ${response.statusCode}: ${body}`))));
        })
        .on("error", reject);
    });
  }

  async function issue(name: string, accountId: string) {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names: name, accountId, keyType: "ec-p256", challengeMethod: "http-01-app" });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    return created.certificateId;
  }

  it("revokes at the CA first, then deletes the certificate like Delete does, both audited", async () => {
    const accountId = (await app.modules.db.acmeAccount.findFirstOrThrow({ where: { status: "valid" } })).id;
    const certificateId = await issue("compromised.example.test", accountId);
    const version = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId } });
    assert.equal((await pebbleCertificateStatus(version.serial)).Status, "Valid");

    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "revoke", {
      jobOptions: { revocationReason: "keyCompromise", deleteAfterRevoke: { actor: "admin", ip: "192.0.2.7" } },
    });
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });

    const atPebble = await pebbleCertificateStatus(version.serial);
    assert.equal(atPebble.Status, "Revoked");
    assert.equal(atPebble.Reason, 1, "keyCompromise (RFC 5280 code 1)");
    assert.equal(await app.modules.db.certificate.count({ where: { id: certificateId } }), 0);
    assert.equal(await app.modules.db.certificateVersion.count({ where: { certificateId } }), 0);
    await assert.rejects(stat(path.join(app.dataDir, "live", "compromised.example.test")), { code: "ENOENT" });
    const deletedDirs = await readdir(path.join(app.dataDir, "deleted"));
    const movedLive = await Promise.any(
      deletedDirs.map((dir) => stat(path.join(app.dataDir, "deleted", dir, "live", "compromised.example.test", "privkey.pem")).then(() => dir)),
    );
    assert.ok(movedLive, "the files moved to deleted/ as with Delete");

    const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } });
    assert.deepEqual(
      events.map((event) => event.step).filter((step) => step === "revoke" || step === "delete"),
      ["revoke", "delete"],
      "deleted only after the revocation",
    );
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.delete", target: "compromised.example.test" } });
    assert.equal(audit.actor, "admin");
    assert.equal(audit.ip, "192.0.2.7");
    assert.equal(JSON.parse(audit.detail ?? "{}").afterRevocation, "keyCompromise");
  });

  it("keeps the certificate, with the reason on it, when the CA refuses the revocation", async () => {
    const owner = (await app.modules.db.acmeAccount.findFirstOrThrow({ where: { status: "valid" } })).id;
    const certificateId = await issue("kept.example.test", owner);
    // Another account holds no authorization for the name, so Pebble refuses its revocation request.
    const stranger = await app.registerPebbleAccount();
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { accountId: stranger } });

    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "revoke", {
      jobOptions: { revocationReason: "cessationOfOperation", deleteAfterRevoke: { actor: "admin", ip: null } },
    });
    const job = await app.waitForJob(jobId);
    assert.equal(job.status, "failed");
    assert.match(
      job.error ?? "",
      /^The CA refused to revoke version 1: the account ".+" did not order it and holds no valid authorization for its names\. The CA said: ".+"\. Revoke it with the ACME account that ordered it\.$/,
    );
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
    assert.equal(certificate.currentVersion?.revokedAt, null);
    assert.equal(certificate.lastError, `Not deleted: ${job.error}`);
    await stat(path.join(app.dataDir, "live", "kept.example.test", "privkey.pem"));
    assert.equal((await pebbleCertificateStatus(certificate.currentVersion!.serial)).Status, "Valid");
    assert.equal(await app.modules.db.auditEvent.count({ where: { action: "certificate.delete", target: "kept.example.test" } }), 0);
  });

  it("refuses a revoke job without a valid reason", async () => {
    const certificate = await app.modules.db.certificate.findFirstOrThrow();
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificate.id, "revoke", { jobOptions: { revocationReason: "because" } as never });
    const job = await app.waitForJob(jobId);
    assert.deepEqual(job, { status: "failed", error: "No valid revocation reason was given." });
  });
});
