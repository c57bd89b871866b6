/**
 * DNS-01 through RFC 2136 against a real BIND 9 with a TSIG key, Pebble resolving through the
 * same BIND, the real job runner and a real SQLite file.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startBindTestbed, type BindTestbed } from "../lib/testbed/bind-testbed";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

describe("DNS-01 with an RFC 2136 provider (BIND 9, TSIG)", () => {
  let bind: BindTestbed;
  let bindDir: string;
  let app: AppHarness;
  let accountId: string;
  let providers: typeof import("../lib/domain/dns-providers/provider-store");

  before(async () => {
    bindDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-bind-"));
    bind = await startBindTestbed({ workDir: bindDir, zones: ["example.test", "alias-target.test", "two-servers.test"] });
    // two-servers.test gets a second nameserver that never answers (nothing listens on 127.0.0.2).
    await bind.addRecord("ns2.two-servers.test", "A", "127.0.0.2");
    await bind.addRecord("two-servers.test", "NS", "ns2.two-servers.test.");
    app = await startAppHarness({ pebbleDnsServer: bind.server });
    await app.modules.settings.setSetting("authoritativeDnsPort", bind.port);
    accountId = await app.registerPebbleAccount();
    providers = await import("../lib/domain/dns-providers/provider-store");
  });

  after(async () => {
    await app?.stop();
    await bind?.stop();
    if (bindDir) await rm(bindDir, { recursive: true, force: true });
  });

  async function addProvider(name: string, overrides: Record<string, string> = {}): Promise<string> {
    const created = await providers.createDnsProvider(app.admin, {
      name,
      type: "rfc2136",
      rfc2136Server: "127.0.0.1",
      rfc2136Port: bind.port,
      rfc2136Zone: "",
      tsigKeyName: bind.tsig.name,
      tsigAlgorithm: "hmac-sha256",
      tsigSecret: bind.tsig.secret,
      propagationTimeoutSeconds: 20,
      ...overrides,
    });
    assert.ok(created.id, JSON.stringify(created));
    return created.id;
  }

  async function issue(names: string, dnsProviderId: string) {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { names, accountId, keyType: "ec-p256", challengeMethod: "dns-01", dnsProviderId });
    const job = await app.waitForJob(created.jobId, 60_000);
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId: created.jobId }, orderBy: { id: "asc" }, select: { message: true, level: true } });
    return { ...created, job, log: events.map((event) => event.message) };
  }

  it("issues *.example.test and example.test: two TXT values at one name, both removed afterwards", async () => {
    const providerId = await addProvider("lab BIND");
    const { certificateId, job, log } = await issue("*.example.test\nexample.test", providerId);
    assert.deepEqual(job, { status: "succeeded", error: null }, log.join("\n"));

    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
    const leaf = new X509Certificate(certificate.currentVersion!.chainPem);
    assert.deepEqual(leaf.subjectAltName?.split(", ").sort(), ["DNS:*.example.test", "DNS:example.test"]);

    // example.test has no A record in the zone: the pre-flight check of a DNS-01 order does not ask for one.
    assert.ok(
      log.some((line) => /^Pre-flight check: \d+ passed, 0 warnings, 0 failed$/.test(line)),
      log.join("\n"),
    );
    const added = log.filter((line) => line.startsWith("TXT record added for"));
    assert.equal(added.length, 2, log.join("\n"));
    assert.ok(added.some((line) => line.startsWith("TXT record added for *.example.test: _acme-challenge.example.test ")));
    assert.ok(added.some((line) => line.startsWith("TXT record added for example.test: _acme-challenge.example.test ")));
    assert.ok(
      log.some((line) => line.startsWith("The TXT records are visible at every authoritative nameserver")),
      log.join("\n"),
    );
    assert.ok(log.some((line) => line.startsWith("TXT records removed: _acme-challenge.example.test")));

    assert.deepEqual(await bind.queryTxt("_acme-challenge.example.test"), [], "both values were removed");
    // BIND's own log: both values were added side by side (one never replaced the other), then deleted.
    const named = await readFile(bind.logPath, "utf8");
    assert.equal(named.match(/adding an RR at '_acme-challenge\.example\.test' TXT/g)?.length, 2);
    assert.equal(named.match(/deleting an RR at _acme-challenge\.example\.test TXT/g)?.length, 2);
  });

  it("fails with a clear reason when the TSIG secret is wrong, and leaves nothing in the zone", async () => {
    const providerId = await addProvider("lab BIND, wrong secret", { tsigSecret: Buffer.alloc(32, 7).toString("base64") });
    const { certificateId, job, log } = await issue("bad-key.example.test", providerId);
    assert.equal(job.status, "failed");
    assert.match(job.error ?? "", /TSIG signature does not match \(it answered BADSIG\): the TSIG secret \(or algorithm\) of key "certdeck-test" is wrong/);
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId } });
    assert.equal(certificate.status, "failed");
    assert.equal(certificate.lastErrorCode, "dns");
    assert.ok(!log.some((line) => line.startsWith("TXT record added")), log.join("\n"));
    assert.deepEqual(await bind.queryTxt("_acme-challenge.bad-key.example.test"), []);
    assert.ok(!(await readFile(bind.logPath, "utf8")).includes("adding an RR at '_acme-challenge.bad-key.example.test'"));
  });

  it("follows a _acme-challenge CNAME into another zone: the record is written and removed there", async () => {
    const providerId = await addProvider("lab BIND, zone set", { rfc2136Zone: "example.test" });
    await bind.addCname("_acme-challenge.www.example.test", "www.alias-target.test");
    const { job, log } = await issue("www.example.test", providerId);
    assert.deepEqual(job, { status: "succeeded", error: null }, log.join("\n"));
    assert.ok(log.includes("_acme-challenge.www.example.test is a CNAME to www.alias-target.test: the TXT record goes there"), log.join("\n"));
    assert.ok(
      log.some((line) => line.startsWith("TXT record added for www.example.test: www.alias-target.test ") && line.endsWith("(zone alias-target.test)")),
    );

    const named = await readFile(bind.logPath, "utf8");
    assert.match(named, /updating zone 'alias-target\.test\/IN': adding an RR at 'www\.alias-target\.test' TXT/);
    assert.match(named, /updating zone 'alias-target\.test\/IN': deleting an RR at www\.alias-target\.test TXT/);
    assert.deepEqual(await bind.queryTxt("www.alias-target.test"), [], "removed from the other zone");
    assert.doesNotMatch(named, /adding an RR at '_acme-challenge\.www\.example\.test' TXT/, "nothing was written at the CNAME itself");
  });

  it("removes the records it added when the job fails after publishing them (a nameserver never shows them)", async () => {
    const providerId = await addProvider("lab BIND, impatient");
    // The form allows 10 s at least; a shorter wait keeps the test fast.
    await app.modules.db.dnsProvider.update({ where: { id: providerId }, data: { propagationTimeoutSeconds: 1 } });
    const { job, log } = await issue("two-servers.test", providerId);
    assert.equal(job.status, "failed", log.join("\n"));
    assert.match(
      job.error ?? "",
      /^After 1 s: The TXT record _acme-challenge\.two-servers\.test \(value "[\w-]+"\) is not visible at ns2\.two-servers\.test \(127\.0\.0\.2:\d+\): /,
    );
    assert.match(job.error ?? "", /Nothing was sent to the CA for validation\.$/);
    assert.ok(
      log.some((line) => line.startsWith("TXT records removed: _acme-challenge.two-servers.test")),
      log.join("\n"),
    );
    const named = await readFile(bind.logPath, "utf8");
    assert.match(named, /adding an RR at '_acme-challenge\.two-servers\.test' TXT/);
    assert.match(named, /deleting an RR at _acme-challenge\.two-servers\.test TXT/);
    assert.deepEqual(await bind.queryTxt("_acme-challenge.two-servers.test"), []);
  });

  it("Test button: says the key works and a record can be changed; names the wrong secret", async () => {
    const good = await addProvider("lab BIND, for the test button", { rfc2136Zone: "alias-target.test" });
    const result = await providers.testDnsProvider(app.admin, { id: good });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.message, `Works: 127.0.0.1:${bind.port} accepts TXT record changes in alias-target.test signed with the key certdeck-test.`);
    assert.equal(result.steps.length, 3);
    assert.deepEqual(await bind.queryTxt("_acme-challenge.alias-target.test"), [], "the test record is gone again");

    const bad = await addProvider("lab BIND, for the test button, wrong key name", { tsigKeyName: "not-a-key" });
    const failed = await providers.testDnsProvider(app.admin, { id: bad });
    assert.equal(failed.ok, false);
    assert.match(failed.message, /does not know the TSIG key "not-a-key" with algorithm hmac-sha256 \(it answered BADKEY\)/);
  });
});
