import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { format } from "node:util";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

/** No duplicate work, no stuck jobs, no secret in clear text: against a real Pebble and SQLite. */
describe("robustness", () => {
  let app: AppHarness;
  let accountId: string;
  let route: Awaited<ReturnType<typeof serveChallengeRoute>>;
  const logged: string[] = [];
  const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error };

  before(async () => {
    // Everything the app logs during these tests is kept and scanned for secrets at the end.
    for (const level of ["log", "info", "warn", "error"] as const) {
      console[level] = (...args: unknown[]) => {
        logged.push(format(...args));
        originals[level](...args);
      };
    }
    app = await startAppHarness();
    accountId = await app.registerPebbleAccount();
    route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
  });
  after(async () => {
    Object.assign(console, originals);
    await route?.close();
    await app?.stop();
  });

  async function issue(name: string) {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names: name, accountId, keyType: "ec-p256", challengeMethod: "http-01-app" });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    return created.certificateId;
  }

  it("50 concurrent renew requests yield one job and one order", async () => {
    const certificateId = await issue("busy-day.example.test");
    const ordersBefore = await app.modules.db.acmeRateEvent.count({ where: { accountId, kind: "order" } });
    const { runSchedulerTick } = await import("../lib/jobs/scheduler");
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { renewAfter: new Date(Date.now() - 1000) } });
    const requests = await Promise.all([
      ...Array.from({ length: 50 }, () => app.modules.queue.enqueueCertificateJob(certificateId, "renew")),
      runSchedulerTick(),
      runSchedulerTick(),
    ]);
    const jobIds = new Set(requests.flatMap((request) => ("jobId" in request ? [request.jobId] : request.renewalsQueued)));
    assert.equal(jobIds.size, 1, `one job for all requests, got ${[...jobIds].join(", ")}`);
    const [jobId] = jobIds;
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    assert.equal(await app.modules.db.job.count({ where: { certificateId, type: "renew" } }), 1);
    assert.equal(await app.modules.db.acmeRateEvent.count({ where: { accountId, kind: "order" } }), ordersBefore + 1, "one order at the CA");
    assert.equal(await app.modules.db.certificateVersion.count({ where: { certificateId } }), 2);
  });

  it("a job whose worker stopped renewing its lease goes back to the queue and finishes", async () => {
    const certificateId = await issue("orphan.example.test");
    const job = await app.modules.db.job.create({
      data: { type: "renew", certificateId, status: "running", lockedBy: "crashed-worker", lockedAt: new Date(Date.now() - 10 * 60_000), attempts: 1 },
    });
    const { requeueExpiredLeases } = await import("../lib/data/queue/queue");
    const { wakeJobRunner } = await import("../lib/data/queue/wake");
    assert.deepEqual(await requeueExpiredLeases("this-worker"), [job.id]);
    wakeJobRunner();
    assert.deepEqual(await app.waitForJob(job.id), { status: "succeeded", error: null });
    const fresh = await app.modules.db.job.create({
      data: { type: "renew", certificateId, status: "running", lockedBy: "live-worker", lockedAt: new Date() },
    });
    assert.deepEqual(await requeueExpiredLeases("this-worker"), [], "a live lease is left alone");
    await app.modules.db.job.update({ where: { id: fresh.id }, data: { status: "failed" } });
  });

  it("keeps no private key, account key, password or DNS credential in clear text in the database or the logs", async () => {
    const { encryptSecret, decryptSecret } = await import("../lib/data/secret-box");
    const smtpPassword = "smtp-Pa55word-that-must-not-leak";
    const config = {
      type: "email",
      host: "127.0.0.1",
      port: 2525,
      security: "none",
      from: "a@example.test",
      to: ["b@example.test"],
      username: "certdeck",
      password: smtpPassword,
    };
    await app.modules.db.notificationChannel.create({ data: { type: "email", name: "mail", configEnc: encryptSecret(JSON.stringify(config)) } });
    const version = await app.modules.db.certificateVersion.findFirstOrThrow({ omit: { privateKeyEnc: false } });
    const privateKeyPem = decryptSecret(version.privateKeyEnc);
    const account = await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: accountId }, omit: { accountKeyEnc: false } });
    const accountKeyPem = decryptSecret(account.accountKeyEnc);
    const keyBody = (pem: string) =>
      pem
        .split("\n")
        .filter((line) => line && !line.startsWith("-----"))
        .join("");
    // DNS provider credentials, through the same store the settings page uses (create, then replace).
    const { createDnsProvider, updateDnsProvider, listDnsProviders, getDnsProviderForEdit } = await import("../lib/domain/dns-providers/provider-store");
    const tsigSecret = Buffer.from("tsig-secret-that-must-not-leak!!").toString("base64");
    const cloudflareToken = "cfTokenThatMustNotLeak_0123456789abcdefXY";
    const replacedToken = "cfReplacedTokenMustNotLeak_9876543210zyxw";
    const rfc2136 = await createDnsProvider(app.admin, {
      name: "bind",
      type: "rfc2136",
      rfc2136Server: "192.0.2.53",
      tsigKeyName: "certdeck",
      tsigSecret,
      propagationTimeoutSeconds: 60,
    });
    const cloudflare = await createDnsProvider(app.admin, { name: "cloudflare", type: "cloudflare", cloudflareApiToken: cloudflareToken });
    assert.ok(rfc2136.id && cloudflare.id, JSON.stringify([rfc2136, cloudflare]));
    assert.deepEqual(await updateDnsProvider(app.admin, { id: cloudflare.id, name: "cloudflare", type: "cloudflare", cloudflareApiToken: replacedToken }), {
      id: cloudflare.id,
    });
    const shown = JSON.stringify([await listDnsProviders(), await getDnsProviderForEdit(rfc2136.id), await getDnsProviderForEdit(cloudflare.id)]);
    assert.ok(shown.includes(`••••${replacedToken.slice(-4)}`), "the page shows a mask");
    for (const secret of [tsigSecret, cloudflareToken, replacedToken]) assert.ok(!shown.includes(secret), "what pages get holds no DNS secret");

    // The database and its write-ahead log, byte for byte.
    const databaseFiles = (await readdir(app.dataDir)).filter((file) => file.startsWith("certdeck.db"));
    assert.ok(databaseFiles.includes("certdeck.db-wal"), "the database runs in WAL mode");
    const secrets = [smtpPassword, keyBody(privateKeyPem).slice(0, 40), keyBody(accountKeyPem).slice(0, 40), tsigSecret, cloudflareToken, replacedToken];
    let holdsDnsProviderRows = false;
    for (const file of databaseFiles) {
      const bytes = (await readFile(path.join(app.dataDir, file))).toString("latin1");
      holdsDnsProviderRows ||= bytes.includes("192.0.2.53");
      assert.ok(!bytes.includes("PRIVATE KEY"), `${file} holds no PEM private key`);
      for (const secret of secrets) assert.ok(!bytes.includes(secret), `${file} holds no secret in clear text`);
    }
    assert.ok(holdsDnsProviderRows, "the scanned files hold the DNS provider rows (their non-secret settings)");
    const everythingLogged = logged.join("\n");
    assert.ok(!everythingLogged.includes("PRIVATE KEY"));
    for (const secret of secrets) assert.ok(!everythingLogged.includes(secret), "the logs hold no secret");
    // The one place a key is in clear text on purpose: the 0600 file nginx reads.
    const live = await readFile(path.join(app.dataDir, "live", "busy-day.example.test", "privkey.pem"), "utf8");
    assert.match(live, /PRIVATE KEY/);
  });
});
