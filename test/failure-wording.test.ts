/**
 * Issue #13, findings 8 and 9, end to end through jobs against Pebble: what the operator reads
 * on the certificate and in the job log.
 * - A CA that hangs (Pebble under SIGSTOP): "The CA at <host> did not answer within 10 s", as a
 *   retry, not a crash or a 75-second stall.
 * - The CA's refusal of a wrong answer, when the name points at another web server: the message
 *   names the address the pre-flight check found and the configured validation port (Pebble
 *   sends no validation record, so CertDeck says where the CA connects).
 */
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";

describe("failure wording through jobs (issue #13)", () => {
  let app: AppHarness;
  let accountId: string;

  before(async () => {
    app = await startAppHarness();
    accountId = await app.registerPebbleAccount();
  });
  after(async () => app?.stop());

  it("a name pointing at another web server: the failure names the address the pre-flight found and the validation port", async () => {
    // "Another web server": 127.0.0.2 on the port the CA validates on, answering 404 to everything.
    const requests: string[] = [];
    const other = http.createServer((request, response) => {
      requests.push(request.url ?? "");
      response.writeHead(404, { "content-type": "text/html" }).end("<h1>404 Not Found</h1>");
    });
    await new Promise<void>((resolve) => other.listen(app.httpPort, "127.0.0.2", resolve));
    await app.pebble.addA("other-server.example.test", ["127.0.0.2"]);
    try {
      const created = await app.modules.createCertificate(app.admin, {
        names: "other-server.example.test",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        issueAnyway: true,
      });
      assert.equal((await app.waitForJob(created.jobId)).status, "failed");
      const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } });
      assert.equal(certificate.lastErrorCode, "wrong-response");
      assert.match(
        certificate.lastError ?? "",
        /^other-server\.example\.test: validation failed because the CA reached a web server that did not return the expected answer/,
      );
      assert.ok(
        certificate.lastError?.includes(
          `The CA did not say which address it tried; the pre-flight check found other-server.example.test at 127.0.0.2, and the CA connects on port ${app.httpPort}.`,
        ),
        certificate.lastError ?? "",
      );
      const done = await app.modules.db.jobEvent.findFirstOrThrow({ where: { jobId: created.jobId, step: "done" }, orderBy: { id: "desc" } });
      assert.equal(done.message, certificate.lastError, "the job log says the same");
      assert.ok(
        requests.some((url) => url.startsWith("/.well-known/acme-challenge/")),
        "the CA asked the other server",
      );
    } finally {
      await new Promise<void>((resolve) => {
        other.closeAllConnections();
        other.close(() => resolve());
      });
      await app.pebble.clearA("other-server.example.test");
    }
  });

  it("a CA that hangs: the job log and the certificate say it did not answer within 10 s, and a retry is scheduled", async () => {
    const route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    let certificateId: string;
    try {
      const created = await app.modules.createCertificate(app.admin, {
        names: "hung.example.test",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
      });
      certificateId = created.certificateId;
      assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    } finally {
      await route.close();
    }
    const host = new URL(app.pebble.directoryUrl).host;
    app.pebble.pause();
    try {
      const started = Date.now();
      const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "renew");
      let job = await app.modules.db.job.findUniqueOrThrow({ where: { id: jobId } });
      while (!(job.status === "queued" && job.attempts === 1) && Date.now() - started < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = await app.modules.db.job.findUniqueOrThrow({ where: { id: jobId } });
      }
      const seconds = (Date.now() - started) / 1000;
      assert.equal(job.status, "queued", "queued again for a retry");
      assert.ok(seconds >= 9 && seconds < 20, `reported after the 10 s timeout, took ${seconds} s`);
      const expected = new RegExp(`^The CA at ${host.replace(/\./g, "\\.")} did not answer within 10 s`);
      const retry = await app.modules.db.jobEvent.findFirstOrThrow({ where: { jobId, step: "retry" } });
      assert.match(retry.message, expected);
      assert.match(retry.message, /Trying again /);
      const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId } });
      assert.match(certificate.lastError ?? "", expected);
      assert.equal(certificate.lastErrorCode, "ca-unreachable");
      await app.modules.db.job.update({ where: { id: jobId }, data: { status: "failed" } });
    } finally {
      app.pebble.resume();
    }
  });
});
