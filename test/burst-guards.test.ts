/**
 * Issue #13, findings 6 and 7: bursts must not multiply orders at the CA.
 * - 50 parallel POST /renew through the REST API give one renewal, and bursts after it finished
 *   answer that renewal (200, reused) instead of ordering again; ?again=true renews anyway.
 * - 30 issue jobs running at once against a rate-limit guard of 10 orders: exactly 10 orders
 *   reach Pebble, the other 20 are deferred without sending anything.
 * Orders are counted from what Pebble answered (each "Order created for" step carries the order
 * URL Pebble gave) and from the guard's own events.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { callRoute, type RouteModule } from "./support/route-call";

describe("bursts against the CA (issue #13)", () => {
  let app: AppHarness;
  let challenge: Awaited<ReturnType<typeof serveChallengeRoute>>;
  let writeToken: string;

  before(async () => {
    app = await startAppHarness();
    challenge = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    const { createApiToken } = await import("../lib/domain/api-tokens/api-tokens");
    const created = await createApiToken(app.admin, { name: "burst-bot", scope: "write" });
    assert.ok(created.token);
    writeToken = created.token;
  });
  after(async () => {
    await challenge?.close();
    await app?.stop();
  });

  /** The orders Pebble created for these jobs: one "Order created for" step (with Pebble's order URL) each. */
  async function ordersOf(jobIds: string[]): Promise<string[]> {
    const events = await app.modules.db.jobEvent.findMany({
      where: { jobId: { in: jobIds }, message: { startsWith: "Order created for " } },
      select: { detail: true },
    });
    return events.map((event) => event.detail ?? "");
  }

  it("50 parallel renews through the REST API order once, and repeated bursts stay at one", async () => {
    const accountId = await app.registerPebbleAccount();
    const created = await app.modules.createCertificate(app.admin, {
      names: "burst.example.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const route = (await import("../app/api/v1/certificates/[id]/renew/route")) as RouteModule;
    const burst = async (query = "") => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          callRoute(route, "POST", `/api/v1/certificates/${created.certificateId}/renew${query}`, { token: writeToken, params: { id: created.certificateId } }),
        ),
      );
      return Promise.all(
        responses.map(async (response) => ({
          status: response.status,
          reusedHeader: response.headers.get("x-certdeck-reused"),
          body: (await response.json()) as { job?: { id: string }; reused?: boolean; error?: { code: string; message: string } },
        })),
      );
    };
    const renewJobs = () =>
      app.modules.db.job
        .findMany({ where: { certificateId: created.certificateId, type: "renew" }, select: { id: true } })
        .then((jobs) => jobs.map((job) => job.id));

    const first = await burst();
    const queued = first.filter((answer) => answer.status === 202);
    assert.equal(queued.length, 1, JSON.stringify(first.map((answer) => answer.status)));
    assert.equal(queued[0].body.reused, false);
    for (const answer of first.filter((candidate) => candidate.status !== 202)) {
      // The others came while that renewal was queued or running: 409 naming it, or (once it finished) that renewal.
      if (answer.status === 409) assert.match(answer.body.error?.message ?? "", new RegExp(`/api/v1/jobs/${queued[0].body.job!.id}`));
      else assert.deepEqual([answer.status, answer.body.reused, answer.body.job?.id], [200, true, queued[0].body.job!.id]);
    }
    const renewalId = queued[0].body.job!.id;
    assert.deepEqual(await app.waitForJob(renewalId), { status: "succeeded", error: null });

    for (let round = 0; round < 2; round++) {
      const again = await burst();
      for (const answer of again) {
        assert.deepEqual([answer.status, answer.reusedHeader, answer.body.reused, answer.body.job?.id], [200, "true", true, renewalId], JSON.stringify(answer));
      }
    }
    assert.deepEqual(await renewJobs(), [renewalId], "one renewal job for 150 requests");
    assert.equal((await ordersOf([renewalId])).length, 1, "one order at Pebble");
    assert.equal(await app.modules.db.acmeRateEvent.count({ where: { accountId, kind: "order" } }), 2, "the issuance and one renewal");
    const version = await app.modules.db.certificate.findUniqueOrThrow({
      where: { id: created.certificateId },
      select: { currentVersion: { select: { version: true } } },
    });
    assert.equal(version.currentVersion?.version, 2);

    // Asked for on purpose: again=true renews anyway (once, even in a burst).
    const confirmed = await burst("?again=true");
    assert.equal(confirmed.filter((answer) => answer.status === 202).length, 1);
    const secondId = confirmed.find((answer) => answer.status === 202)!.body.job!.id;
    assert.deepEqual(await app.waitForJob(secondId), { status: "succeeded", error: null });
    assert.equal((await renewJobs()).length, 2);
    const audit = await app.modules.db.auditEvent.count({ where: { action: "certificate.renew", target: "burst.example.test" } });
    assert.equal(audit, 2, "only the renewals queued are audited");
  });

  it("30 issue jobs at once against a guard of 10 orders: exactly 10 orders reach Pebble, 20 are deferred", async () => {
    const accountId = await app.registerPebbleAccount();
    await app.modules.db.acmeAccount.update({ where: { id: accountId }, data: { ordersPer3HoursLimit: 10 } });
    // Queue all 30 first, then let one runner take them all at once.
    await app.stopRunner();
    const jobIds: string[] = [];
    for (let index = 0; index < 30; index++) {
      const created = await app.modules.createCertificate(app.admin, {
        names: `guard-${index}.example.test`,
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
      });
      jobIds.push(created.jobId);
    }
    const runner = await app.modules.runner.startJobRunner({ concurrency: 30 });
    try {
      const deadline = Date.now() + 180_000;
      let succeeded = 0;
      let deferred = 0;
      for (;;) {
        const jobs = await app.modules.db.job.findMany({ where: { id: { in: jobIds } }, select: { status: true, runAfter: true } });
        succeeded = jobs.filter((job) => job.status === "succeeded").length;
        deferred = jobs.filter((job) => job.status === "queued" && job.runAfter.getTime() > Date.now() + 3600_000).length;
        if (succeeded + deferred === 30 || jobs.some((job) => job.status === "failed")) break;
        assert.ok(Date.now() < deadline, `still ${30 - succeeded - deferred} jobs in progress`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.deepEqual({ succeeded, deferred }, { succeeded: 10, deferred: 20 });
      const orders = await ordersOf(jobIds);
      assert.equal(orders.length, 10, "10 orders at Pebble");
      assert.equal(new Set(orders).size, 10, "10 distinct order URLs");
      assert.equal(await app.modules.db.acmeRateEvent.count({ where: { accountId, kind: "order" } }), 10);
      const notices = await app.modules.db.jobEvent.findMany({ where: { jobId: { in: jobIds }, step: "retry" }, select: { message: true } });
      assert.equal(notices.length, 20);
      for (const { message } of notices) assert.match(message, /^Not sent to the CA: this account placed 10 orders in the last 3 hours \(limit 10\)/);
    } finally {
      await runner.stop();
    }
  });
});
