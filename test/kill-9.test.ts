import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { waitFor } from "../lib/testbed/wait-for";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

/**
 * kill -9 of the process running an issue job, at several points; after a restart the job
 * finishes with exactly one order at the CA and a complete live/ set.
 */
describe("kill -9 during an issue job", () => {
  let app: AppHarness;
  let accountId: string;

  before(async () => {
    app = await startAppHarness();
    accountId = await app.registerPebbleAccount();
    // This process's own runner must not take the jobs: the worker processes do.
    await app.stopRunner();
  });
  after(async () => app?.stop());

  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join("test", "support", "worker-process.ts")], {
      env: { ...process.env, CERTDECK_DATA_DIR: app.dataDir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    return new Promise((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("worker ready") && resolve(child));
      child.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
    });
  }

  async function waitForEvent(jobId: string, pattern: RegExp, timeoutMs = 20_000) {
    // Looked for every 5 ms: the kill should land right after the step it is aimed at.
    await waitFor(
      async () => (await app.modules.db.jobEvent.findMany({ where: { jobId }, select: { message: true } })).some((event) => pattern.test(event.message)),
      { timeoutMs, intervalMs: 5, what: `event ${pattern} in job ${jobId}` },
    );
  }

  const killPoints = [
    { name: "after order creation", event: /^Order created for /, challengeDelayMs: 1500 },
    { name: "during validation", event: /^Asking the CA to validate/, challengeDelayMs: 1500 },
    { name: "after finalize", event: /^Order finalized/, challengeDelayMs: 0 },
  ];

  for (const [index, point] of killPoints.entries()) {
    it(`resumes after kill -9 ${point.name}`, async () => {
      const name = `crash-${index}.example.test`;
      const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names: name, accountId, keyType: "ec-p256", challengeMethod: "http-01-app" });

      // The app's real challenge route, answering slowly: the job is still inside validation when killed.
      const challengeServer = await serveChallengeRoute(app.httpPort, {
        async GET(request, context) {
          await new Promise((resolve) => setTimeout(resolve, point.challengeDelayMs));
          return app.modules.challengeRoute.GET(request, context);
        },
      });
      try {
        const first = await startWorker();
        await waitForEvent(created.jobId, point.event);
        first.kill("SIGKILL");
        await new Promise((resolve) => first.once("exit", resolve));
        const interrupted = await app.modules.db.job.findUniqueOrThrow({ where: { id: created.jobId } });
        const savedOrderUrl = JSON.parse(interrupted.state ?? "{}").orderUrl as string | undefined;
        assert.ok(savedOrderUrl, "the order URL was saved before the kill");

        const second = await startWorker();
        try {
          assert.deepEqual(await app.waitForJob(created.jobId, 30_000), { status: "succeeded", error: null });
        } finally {
          second.kill("SIGKILL");
        }
        const messages = (await app.modules.db.jobEvent.findMany({ where: { jobId: created.jobId }, orderBy: { id: "asc" }, select: { message: true } })).map(
          (event) => event.message,
        );
        assert.ok(
          messages.some((message) => message.startsWith(`Resuming order ${savedOrderUrl} (status: `)),
          `the saved order was resumed:\n${messages.join("\n")}`,
        );
      } finally {
        await challengeServer.close();
      }

      const events = await app.modules.db.jobEvent.findMany({ where: { jobId: created.jobId }, orderBy: { id: "asc" }, select: { message: true } });
      const messages = events.map((event) => event.message);
      assert.equal(messages.filter((message) => message.startsWith("Order created")).length, 1, `exactly one order:\n${messages.join("\n")}`);
      assert.equal(await app.modules.db.acmeRateEvent.count({ where: { accountId, kind: "order" } }), index + 1, "one order per certificate at the CA");

      const version = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId: created.certificateId } });
      assert.equal(version.version, 1);
      const live = path.join(app.dataDir, "live", name);
      for (const file of ["cert", "chain", "fullchain", "privkey"]) {
        const target = await realpath(path.join(live, `${file}.pem`));
        assert.equal(path.basename(target), `${file}1.pem`);
        assert.ok((await readFile(target, "utf8")).includes("-----BEGIN"), `${file}.pem is complete`);
      }
    });
  }
});
