import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";

/**
 * A job that dies right after the CA finalized its order (the worst moment: the CA has issued a
 * certificate for a key only this job knows) resumes the same order with the same key after a
 * restart, instead of ordering again or losing the key.
 */
describe("an issue job interrupted after finalize", () => {
  let app: AppHarness;

  before(async () => {
    app = await startAppHarness();
  });
  after(async () => app?.stop());

  it("resumes the saved order and key after a restart", async () => {
    const accountId = await app.registerPebbleAccount();
    await app.modules.settings.setSetting("standalonePort", app.httpPort);

    const { db } = app.modules;
    const certificate = await db.certificate.create({
      data: {
        name: "resume.example.test",
        identifiers: JSON.stringify([{ type: "dns", value: "resume.example.test" }]),
        keyType: "ec-p256",
        challengeMethod: "http-01-standalone",
        accountId,
      },
    });
    // Held back from the runner until the "crash" has happened.
    const job = await db.job.create({
      data: { type: "issue", certificateId: certificate.id, status: "running", lockedBy: "first-process", runAfter: new Date() },
      select: { id: true, type: true, certificateId: true, accountId: true, state: true, options: true, attempts: true, resumedAt: true },
    });

    const { issueCertificateJob } = await import("../lib/jobs/handlers/issue-certificate");
    const { createJobContext } = await import("../lib/jobs/handlers/define-job");
    const context = createJobContext(issueCertificateJob, job);
    const realLog = context.log;
    context.log = async (step, message, options) => {
      await realLog(step, message, options);
      if (step === "finalize") throw new Error("simulated crash right after finalize");
    };
    await assert.rejects(issueCertificateJob.run(context), /simulated crash/);

    const saved = JSON.parse((await db.job.findUniqueOrThrow({ where: { id: job.id } })).state ?? "{}");
    assert.match(saved.orderUrl, /^https:\/\/127\.0\.0\.1:\d+\/my-order\//);
    assert.match(saved.privateKeyEnc, /^v1:/, "the key is saved encrypted before finalize");
    assert.equal(await db.certificateVersion.count({ where: { certificateId: certificate.id } }), 0);

    // The restarted process requeues what the dead one left running; the runner picks it up.
    const { requeueInterruptedJobs } = await import("../lib/data/queue/queue");
    const { wakeJobRunner } = await import("../lib/data/queue/wake");
    assert.deepEqual(await requeueInterruptedJobs("second-process"), [job.id]);
    wakeJobRunner();
    assert.deepEqual(await app.waitForJob(job.id), { status: "succeeded", error: null });

    const events = await db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    const messages = events.map((event) => event.message);
    assert.equal(messages.filter((message) => message.startsWith("Order created")).length, 1, "one order, never two");
    assert.ok(
      messages.some((message) => message === `Resuming order ${saved.orderUrl} (status: valid)`),
      messages.join("\n"),
    );
    assert.equal(messages.filter((message) => message.startsWith("Generated a fresh")).length, 1, "one key, never two");

    const { decryptSecret } = await import("../lib/data/secret-box");
    const savedKey = createPrivateKey(decryptSecret(saved.privateKeyEnc));
    const version = await db.certificateVersion.findFirstOrThrow({ where: { certificateId: certificate.id }, omit: { privateKeyEnc: false } });
    const leaf = new X509Certificate(version.chainPem);
    assert.ok(leaf.checkPrivateKey(savedKey), "the issued certificate is for the key saved before the crash");
    assert.equal(
      createPublicKey(decryptSecret(version.privateKeyEnc)).export({ format: "der", type: "spki" }).toString("hex"),
      createPublicKey(savedKey).export({ format: "der", type: "spki" }).toString("hex"),
    );
    const finished = JSON.parse((await db.job.findUniqueOrThrow({ where: { id: job.id } })).state ?? "{}");
    assert.deepEqual(finished, { storedVersion: 1 }, "the pending key leaves the job's state once the version is stored");
  });
});
