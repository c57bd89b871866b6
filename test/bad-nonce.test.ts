import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

/** badNonce never fails an order by itself, even when the CA rejects most nonces. */
describe("a CA rejecting 60 % of nonces", () => {
  let app: AppHarness;
  let route: Awaited<ReturnType<typeof serveChallengeRoute>>;

  before(async () => {
    app = await startAppHarness({ nonceRejectPercent: 60 });
    route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
  });
  after(async () => {
    await route?.close();
    await app?.stop();
  });

  it("still completes 10 of 10 orders", async () => {
    const accountId = await app.registerPebbleAccount();
    const jobs: string[] = [];
    for (let index = 0; index < 10; index++) {
      const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
        names: `nonce-${index}.example.test`,
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
      });
      jobs.push(created.jobId);
    }
    const results = await Promise.all(jobs.map((jobId) => app.waitForJob(jobId, 120_000)));
    assert.deepEqual(
      results.map((result) => result.status),
      Array(10).fill("succeeded"),
      results
        .map((result) => result.error)
        .filter(Boolean)
        .join("\n"),
    );
    assert.equal(await app.modules.db.certificateVersion.count(), 10);
  });
});
