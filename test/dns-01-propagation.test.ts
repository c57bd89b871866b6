/**
 * The DNS-01 propagation check against a real BIND 9: it asks every authoritative nameserver of
 * the zone directly, follows CNAMEs, and says which server lacks which value.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { checkTxtRecords, resolveChallengeRecordName, waitForTxtRecords } from "../lib/protocol/dns/propagation";
import { updateTxtRecords, type Rfc2136Target } from "../lib/protocol/dns/rfc2136/rfc2136-client";
import { AppError } from "../lib/core/app-error";
import { startBindTestbed, type BindTestbed } from "../lib/testbed/bind-testbed";

describe("DNS-01 propagation check (BIND 9)", () => {
  let bind: BindTestbed;
  let workDir: string;
  let target: Rfc2136Target;
  let lookups: { resolvers: string; authoritativePort: number };

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-bind-"));
    bind = await startBindTestbed({ workDir, zones: ["example.test", "alias-target.test", "two-servers.test"] });
    target = {
      server: { host: "127.0.0.1", port: bind.port },
      label: bind.server,
      key: { name: bind.tsig.name, algorithm: "hmac-sha256", secret: Buffer.from(bind.tsig.secret, "base64") },
    };
    lookups = { resolvers: bind.server, authoritativePort: bind.port };
    // A second nameserver for two-servers.test that never answers (nothing listens on 127.0.0.2).
    await bind.addRecord("ns2.two-servers.test", "A", "127.0.0.2");
    await bind.addRecord("two-servers.test", "NS", "ns2.two-servers.test.");
  });

  after(async () => {
    await bind?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("sees a record at every nameserver, and both values of a wildcard + base name pair", async () => {
    await updateTxtRecords(target, "example.test", [
      { action: "add", name: "_acme-challenge.seen.example.test", value: "value-for-wildcard" },
      { action: "add", name: "_acme-challenge.seen.example.test", value: "value-for-base" },
    ]);
    const records = [
      { fqdn: "_acme-challenge.seen.example.test", value: "value-for-wildcard" },
      { fqdn: "_acme-challenge.seen.example.test", value: "value-for-base" },
    ];
    const report = await checkTxtRecords(records, lookups);
    assert.equal(report.isComplete, true, report.summary);
    assert.equal(report.records.length, 1, "one name, two values");
    assert.deepEqual(
      report.records[0].servers.map((server) => [server.nameserver, server.server, server.status]),
      [["ns1.example.test", bind.server, "visible"]],
    );
    assert.equal(report.records[0].zone, "example.test");
    await waitForTxtRecords(records, { timeoutMs: 5000, ...lookups });
  });

  it("names the value a nameserver is missing", async () => {
    await updateTxtRecords(target, "example.test", [{ action: "add", name: "_acme-challenge.half.example.test", value: "present" }]);
    const report = await checkTxtRecords(
      [
        { fqdn: "_acme-challenge.half.example.test", value: "present" },
        { fqdn: "_acme-challenge.half.example.test", value: "absent" },
      ],
      lookups,
    );
    assert.equal(report.isComplete, false);
    assert.equal(report.records[0].servers[0].status, "missing-value");
    assert.match(report.summary, /is not visible at ns1\.example\.test \(127\.0\.0\.1:\d+\): "absent" is missing \(it shows "present"\)/);
  });

  it("gives up after the timeout, naming the nameserver that does not show the record", async () => {
    await updateTxtRecords(target, "two-servers.test", [{ action: "add", name: "_acme-challenge.two-servers.test", value: "only-at-ns1" }]);
    const waiting = waitForTxtRecords([{ fqdn: "_acme-challenge.two-servers.test", value: "only-at-ns1" }], { timeoutMs: 1500, ...lookups });
    const error = await waiting.then(
      () => assert.fail("expected the check to give up"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof AppError);
    assert.equal(error.code, "challenge_failed");
    assert.match(
      error.userMessage,
      /^After 2 s: The TXT record _acme-challenge\.two-servers\.test \(value "only-at-ns1"\) is not visible at ns2\.two-servers\.test \(127\.0\.0\.2:\d+\): /,
    );
    assert.doesNotMatch(error.userMessage, /ns1\.two-servers\.test \(/, "ns1 shows it, so it is not named");
    assert.match(error.userMessage, /raise the DNS provider's propagation timeout/);
  });

  it("says a name does not exist yet, and follows a CNAME to where the record must be", async () => {
    const missing = await checkTxtRecords([{ fqdn: "_acme-challenge.nothing.example.test", value: "v" }], lookups);
    assert.equal(missing.records[0].servers[0].status, "nxdomain");
    assert.match(missing.summary, /it answers NXDOMAIN \(the name does not exist there yet\)/);

    await bind.addCname("_acme-challenge.shop.example.test", "shop.alias-target.test");
    assert.equal(await resolveChallengeRecordName("_acme-challenge.shop.example.test", lookups), "shop.alias-target.test");
    assert.equal(await resolveChallengeRecordName("_acme-challenge.plain.example.test", lookups), "_acme-challenge.plain.example.test");
    await updateTxtRecords(target, "alias-target.test", [{ action: "add", name: "shop.alias-target.test", value: "aliased" }]);
    const aliased = await checkTxtRecords([{ fqdn: "_acme-challenge.shop.example.test", value: "aliased" }], lookups);
    assert.equal(aliased.isComplete, true, aliased.summary);
    assert.deepEqual(aliased.records[0].cnameChain, ["shop.alias-target.test"]);
    assert.equal(aliased.records[0].zone, "alias-target.test");
    assert.match(aliased.summary, /_acme-challenge\.shop\.example\.test \(CNAME → shop\.alias-target\.test\) at ns1\.alias-target\.test/);
  });

  it("refuses a CNAME loop with a sentence that shows the loop", async () => {
    await bind.addCname("_acme-challenge.loop.example.test", "loop.alias-target.test");
    await bind.addCname("loop.alias-target.test", "_acme-challenge.loop.example.test");
    const report = await checkTxtRecords([{ fqdn: "_acme-challenge.loop.example.test", value: "v" }], lookups);
    assert.equal(report.isComplete, false);
    assert.match(report.summary, /form a loop \(_acme-challenge\.loop\.example\.test → loop\.alias-target\.test → _acme-challenge\.loop\.example\.test\)/);
  });
});
