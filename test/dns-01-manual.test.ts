import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { waitFor } from "../lib/testbed/wait-for";
import { startBindTestbed, type BindTestbed } from "../lib/testbed/bind-testbed";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { refusalOf } from "./support/refusal";

const execFileAsync = promisify(execFile);
const ZONE = "manual.test";

/**
 * DNS-01 with the manual provider, driven the way an operator drives it: the job parks with the
 * TXT records to create, the "user's DNS host" (a real BIND, which Pebble and the propagation
 * check both ask) gets them through nsupdate, and the same function as the page's Done button
 * lets the job go on.
 */
describe("DNS-01 with the manual DNS provider", () => {
  let bind: BindTestbed;
  let app: AppHarness;
  let workDir: string;
  let accountId: string;
  let providerId: string;
  let wildcardCertificateId: string;
  let modules: {
    confirm: typeof import("../lib/domain/dns-providers/manual-confirm");
    check: typeof import("../lib/domain/dns-providers/manual-check");
    state: typeof import("../lib/domain/dns-providers/manual-state");
    store: typeof import("../lib/domain/dns-providers/provider-store");
  };

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-manual-dns-"));
    bind = await startBindTestbed({ workDir: path.join(workDir, "bind"), zones: [ZONE] });
    app = await startAppHarness({ pebbleDnsServer: bind.server });
    // The zone's NS (ns1.manual.test → 127.0.0.1) answers on the testbed's port, not 53.
    await app.modules.settings.setSetting("authoritativeDnsPort", bind.port);
    modules = {
      confirm: await import("../lib/domain/dns-providers/manual-confirm"),
      check: await import("../lib/domain/dns-providers/manual-check"),
      state: await import("../lib/domain/dns-providers/manual-state"),
      store: await import("../lib/domain/dns-providers/provider-store"),
    };
    accountId = await app.registerPebbleAccount();
    const provider = await modules.store.createDnsProvider(app.admin, { name: "By hand", type: "manual", propagationTimeoutSeconds: 10 });
    assert.ok(provider.id, JSON.stringify(provider));
    providerId = provider.id;
  });

  after(async () => {
    await app?.stop();
    await bind?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** What the operator does at their DNS host: add TXT records with a signed nsupdate. */
  async function createTxtRecords(name: string, values: string[]) {
    const script = [`server 127.0.0.1 ${bind.port}`, `zone ${ZONE}.`, ...values.map((value) => `update add ${name}. 60 IN TXT "${value}"`), "send", ""].join(
      "\n",
    );
    const scriptPath = path.join(workDir, `nsupdate-${Date.now()}.txt`);
    await writeFile(scriptPath, script);
    await execFileAsync("/usr/bin/nsupdate", ["-y", `${bind.tsig.algorithm}:${bind.tsig.name}:${bind.tsig.secret}`, scriptPath], { timeout: 10_000 });
  }

  async function waitForStatus(jobId: string, status: string, timeoutMs = 30_000) {
    return waitFor(
      async () => {
        const job = await app.modules.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, error: true } });
        if (job.status !== status && (job.status === "succeeded" || job.status === "failed")) {
          assert.fail(`job ${jobId} is ${job.status} (${job.error ?? "no error"}), expected ${status}`);
        }
        return job;
      },
      { until: (job) => job.status === status, timeoutMs, what: (job) => `job ${jobId} to be ${status} (it is ${job?.status})` },
    );
  }

  async function addCertificate(names: string) {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names,
      accountId,
      keyType: "ec-p256",
      challengeMethod: "dns-01",
      dnsProviderId: providerId,
    });
    return created;
  }

  /** The page's hidden fields: the certificate and its job. */
  const jobOf = (created: { certificateId: string; jobId: string }) => ({ certificateId: created.certificateId, jobId: created.jobId });

  const messagesOf = async (jobId: string) =>
    (await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" }, select: { message: true } })).map((event) => event.message);

  it("waits with the wildcard's and the base name's values under one name, then issues after Done", async () => {
    const created = await addCertificate(`*.${ZONE}\n${ZONE}`);
    wildcardCertificateId = created.certificateId;
    await waitForStatus(created.jobId, "waiting");

    const waiting = await modules.state.readManualDnsState(created.jobId);
    assert.equal(waiting.manualDnsRecords?.length, 1);
    const [record] = waiting.manualDnsRecords!;
    assert.equal(record.name, `_acme-challenge.${ZONE}`);
    assert.equal(record.values.length, 2, "a wildcard and its base name need two values");
    for (const value of record.values) assert.match(value, /^[A-Za-z0-9_-]{43}$/, "base64url of a SHA-256");
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } });
    assert.equal(certificate.currentVersionId, null);
    assert.match((await messagesOf(created.jobId)).join("\n"), /Waiting for you: create these 2 TXT records at your DNS host/);

    // "Check now" asks every authoritative nameserver and changes nothing.
    const early = await modules.check.checkManualDnsRecords(SYSTEM_ACTOR, jobOf(created));
    assert.equal(early.isComplete, false);
    assert.deepEqual(
      early.records.map((checked) => [checked.name, checked.isVisible]),
      [[record.name, false]],
    );
    await createTxtRecords(record.name, record.values);
    assert.deepEqual((await bind.queryTxt(record.name)).sort(), [...record.values].sort());
    const checked = await modules.check.checkManualDnsRecords(SYSTEM_ACTOR, jobOf(created));
    assert.equal(checked.isComplete, true, checked.summary);
    assert.equal((await app.modules.db.job.findUniqueOrThrow({ where: { id: created.jobId } })).status, "waiting", "the check changes nothing");
    const confirmed = await modules.confirm.confirmManualDnsRecords(SYSTEM_ACTOR, jobOf(created));
    assert.deepEqual(confirmed, { certificateId: created.certificateId, certificateName: `*.${ZONE}` });
    const again = await refusalOf(modules.confirm.confirmManualDnsRecords(SYSTEM_ACTOR, jobOf(created)));
    assert.equal(again.userMessage, "This job is not waiting for DNS records any more; the page shows what it is doing now.");
    // The job must belong to the certificate whose page asks.
    const otherCertificate = await refusalOf(
      modules.confirm.confirmManualDnsRecords(SYSTEM_ACTOR, { certificateId: "someothercertificate", jobId: created.jobId }),
    );
    assert.deepEqual([otherCertificate.code, otherCertificate.userMessage], ["not_found", "That job does not exist any more. Reload the page."]);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.dns-records-confirmed" } });
    assert.deepEqual([audit.actor, audit.target, JSON.parse(audit.detail ?? "null")], ["system", `*.${ZONE}`, { jobId: created.jobId }]);

    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const issued = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId }, include: { currentVersion: true } });
    assert.equal(issued.status, "valid");
    const leaf = new X509Certificate(issued.currentVersion!.chainPem);
    assert.deepEqual(leaf.subjectAltName?.split(", ").sort(), [`DNS:*.${ZONE}`, `DNS:${ZONE}`]);
    const log = (await messagesOf(created.jobId)).join("\n");
    assert.match(log, /Operator confirmed the TXT records/);
    assert.match(log, /visible at every authoritative nameserver/);
    assert.match(log, new RegExp(`You can now delete the TXT records at _acme-challenge\\.${ZONE.replace(".", "\\.")}`));
  });

  it("goes back to waiting, saying which server lacks which value, when Done is pressed too early", async () => {
    const name = `www.${ZONE}`;
    const created = await addCertificate(name);
    await waitForStatus(created.jobId, "waiting");
    const [record] = (await modules.state.readManualDnsState(created.jobId)).manualDnsRecords!;
    assert.equal(record.name, `_acme-challenge.${name}`);

    await modules.confirm.confirmManualDnsRecords(SYSTEM_ACTOR, jobOf(created));
    await waitForStatus(created.jobId, "running");
    // The provider's 10 s propagation timeout passes without the record: the job waits again.
    await waitForStatus(created.jobId, "waiting", 40_000);
    const again = await modules.state.readManualDnsState(created.jobId);
    assert.equal(again.manualDnsConfirmedAt, null);
    assert.deepEqual(again.manualDnsRecords, [record], "the same order, the same value");
    assert.match(
      again.manualDnsProblem ?? "",
      new RegExp(
        `_acme-challenge\\.www\\.manual\\.test \\(value "${record.values[0]}"\\) is not visible at ns1\\.manual\\.test \\(127\\.0\\.0\\.1:${bind.port}\\)`,
      ),
    );
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } });
    assert.notEqual(certificate.status, "failed", "the certificate has not failed: the operator can still fix the record");
    assert.match((await messagesOf(created.jobId)).join("\n"), /Waiting for you again: the TXT records are not visible everywhere yet/);

    await createTxtRecords(record.name, record.values);
    await modules.confirm.confirmManualDnsRecords(SYSTEM_ACTOR, jobOf(created));
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
  });

  it("ends the job without asking the CA when the operator stops waiting", async () => {
    const created = await addCertificate(`stop.${ZONE}`);
    await waitForStatus(created.jobId, "waiting");
    const stopped = await modules.confirm.stopManualDnsWait(SYSTEM_ACTOR, jobOf(created));
    assert.deepEqual(stopped, { certificateId: created.certificateId, certificateName: `stop.${ZONE}` });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "failed", error: "Stopped by the operator while waiting for the DNS records." });
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: created.certificateId } });
    assert.equal(certificate.status, "failed");
    assert.match(certificate.lastError ?? "", /Press Try again to start over/);
    const afterStop = await refusalOf(modules.confirm.confirmManualDnsRecords(SYSTEM_ACTOR, jobOf(created)));
    assert.equal(afterStop.code, "conflict", "Done after Stop changes nothing");
  });

  it("tells the notification channels when a renewal waits for records, and Stop waiting keeps the certificate in service", async () => {
    const received: Array<{ text: string; event: string }> = [];
    const webhook = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    try {
      const { encryptSecret } = await import("../lib/data/secret-box");
      const config = { type: "webhook", url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`, privateNetwork: true };
      await app.modules.db.notificationChannel.create({ data: { type: "webhook", name: "Chat", configEnc: encryptSecret(JSON.stringify(config)) } });

      const renewal = await app.modules.queue.enqueueCertificateJob(wildcardCertificateId, "renew", { reason: "test" });
      await waitForStatus(renewal.jobId, "waiting");
      const [record] = (await modules.state.readManualDnsState(renewal.jobId)).manualDnsRecords!;
      assert.equal(received.length, 1, "one notification for the waiting renewal");
      assert.equal(received[0].event, "action-needed");
      assert.match(received[0].text, /\*\.manual\.test is waiting for you/);
      for (const value of record.values) assert.ok(received[0].text.includes(value), "the notification names the values to create");

      await modules.confirm.stopManualDnsWait(SYSTEM_ACTOR, { certificateId: wildcardCertificateId, jobId: renewal.jobId });
      assert.equal((await app.waitForJob(renewal.jobId)).status, "failed");
      const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: wildcardCertificateId } });
      assert.equal(certificate.status, "valid", "the version in service stays");
      assert.ok(certificate.retryNotBefore && certificate.retryNotBefore.getTime() > Date.now() + 23 * 3600 * 1000, "the scheduler asks again in a day");
    } finally {
      await new Promise<void>((resolve) => webhook.close(() => resolve()));
    }
  });
});
