import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import type { PreflightCheck, PreflightReport } from "../lib/domain/preflight/preflight-types";

/**
 * The pre-flight check against a real Pebble + pebble-challtestsrv. challtestsrv is the DNS server
 * (setting dnsResolvers); every name it does not know resolves to 127.0.0.1, which the settings
 * declare to be this host. What challtestsrv needed per case is written next to each test.
 */
describe("the pre-flight check", () => {
  let app: AppHarness;
  let accountId: string;
  let preflight: typeof import("../lib/domain/preflight/run-preflight");
  let types: typeof import("../lib/domain/preflight/preflight-types");

  before(async () => {
    app = await startAppHarness();
    preflight = await import("../lib/domain/preflight/run-preflight");
    types = await import("../lib/domain/preflight/preflight-types");
    accountId = await app.registerPebbleAccount();
    // Besides what the harness sets (Pebble's DNS server, this host is 127.0.0.1, the CA
    // validates on app.httpPort): no IPv6 here, and the standalone listener on the same port.
    const { setSetting } = app.modules.settings;
    await setSetting("publicIPv6", "");
    await setSetting("standalonePort", app.httpPort);
  });

  after(async () => app?.stop());

  function check(name: string, method = "http-01-app", extra: { webrootPath?: string; accountId?: string } = {}) {
    return preflight.runPreflight({
      identifiers: [{ type: "dns", value: name }],
      challengeMethod: method,
      webrootPath: extra.webrootPath ?? null,
      accountId: extra.accountId ?? accountId,
    });
  }

  const only = (report: PreflightReport, kind: PreflightCheck["kind"]) => report.checks.filter((item) => item.kind === kind);
  const summary = (report: PreflightReport) => report.checks.map((item) => `${item.status} ${item.kind}: ${item.message}`).join("\n");

  async function withChallengeRoute<T>(run: () => Promise<T>): Promise<T> {
    const route = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    try {
      return await run();
    } finally {
      await route.close();
    }
  }

  async function probeRowsLeft() {
    return app.modules.db.challengeResponse.count({ where: { jobId: "preflight" } });
  }

  it("passes every check when DNS points here, the app route answers and there is no CAA", async () => {
    // challtestsrv: nothing; its default answer (A 127.0.0.1, no AAAA, no CAA) is the good case.
    const report = await withChallengeRoute(() => check("good.example.test"));
    assert.equal(report.status, "pass", summary(report));
    assert.ok(
      report.checks.every((item) => item.status === "pass"),
      summary(report),
    );
    assert.deepEqual(
      report.checks.map((item) => item.kind),
      ["host-address", "http", "caa"],
    );
    assert.equal(only(report, "host-address")[0].message, "good.example.test has A 127.0.0.1: this host.");
    assert.match(
      only(report, "http")[0].message,
      new RegExp(
        `^http://good\\.example\\.test:${app.httpPort}/\\.well-known/acme-challenge/certdeck-probe-[0-9a-f]{32} answers with the challenge through 127\\.0\\.0\\.1\\.$`,
      ),
    );
    assert.equal(only(report, "caa")[0].message, "No CAA records for good.example.test or its parent domains: any CA may issue.");
    assert.equal(preflight.preflightBlocksOrder(report), false);
    assert.equal(await probeRowsLeft(), 0, "the probe row is deleted afterwards");
  });

  it("names the A record that points elsewhere, and the refused connection there", async () => {
    // challtestsrv: /add-a {host, addresses: ["127.0.0.2"]} (nothing listens on 127.0.0.2).
    await app.pebble.addA("mismatch.example.test", ["127.0.0.2"]);
    const report = await withChallengeRoute(() => check("mismatch.example.test"));
    assert.equal(report.status, "fail");
    const [address] = only(report, "host-address");
    assert.equal(address.status, "fail");
    assert.equal(address.message, "mismatch.example.test has A 127.0.0.2, but this host is 127.0.0.1.");
    assert.match(address.fix ?? "", /^Change the A record of mismatch\.example\.test to 127\.0\.0\.1 at your DNS provider\./);
    const [probe] = only(report, "http");
    assert.equal(probe.status, "fail");
    assert.match(
      probe.message,
      new RegExp(
        `^Nothing accepts connections on 127\\.0\\.0\\.2 port ${app.httpPort} \\(connection refused\\), so the CA cannot fetch http://mismatch\\.example\\.test:${app.httpPort}/`,
      ),
    );
    assert.match(probe.fix ?? "", /127\.0\.0\.2 is not this host, so fix the DNS record first/);
    assert.equal(preflight.preflightBlocksOrder(report), true);
  });

  it("shows the CNAME chain in front of the address", async () => {
    // challtestsrv: /set-cname {host, target}, plus /add-a on the target. It follows one CNAME itself.
    await app.pebble.challtestsrv("/set-cname", { host: "alias.example.test", target: "origin.example.test" });
    await app.pebble.addA("origin.example.test", ["127.0.0.2"]);
    const report = await withChallengeRoute(() => check("alias.example.test"));
    const [address] = only(report, "host-address");
    assert.equal(address.message, "alias.example.test (CNAME → origin.example.test) has A 127.0.0.2, but this host is 127.0.0.1.");
    assert.deepEqual((address.detail as { cnameChain: string[] }).cnameChain, ["origin.example.test"]);
  });

  it("fails a stale AAAA record even when the A record is right", async () => {
    // challtestsrv: /add-aaaa {host, addresses: ["::2"]}; the A record stays the default 127.0.0.1.
    // ::2 is not probed over HTTP: this host has no IPv6 (publicIPv6 "" next to a set publicIPv4).
    await app.pebble.addAAAA("v6.example.test", ["::2"]);
    const report = await withChallengeRoute(() => check("v6.example.test"));
    assert.equal(report.status, "fail", summary(report));
    const [a, aaaa] = only(report, "host-address");
    assert.equal(a.status, "pass");
    assert.equal(aaaa.status, "fail");
    assert.equal(aaaa.message, "v6.example.test has AAAA ::2, but this host has no public IPv6; Let's Encrypt tries IPv6 first, so validation will fail.");
    assert.equal(aaaa.fix, "Remove the AAAA record or serve the challenge there.");
    assert.deepEqual(
      only(report, "http").map((item) => [item.status, (item.detail as { address: string }).address]),
      [["pass", "127.0.0.1"]],
    );
  });

  it("explains SERVFAIL", async () => {
    // challtestsrv: /set-servfail {host}: every question about the name (A, AAAA, CNAME, CAA) gets SERVFAIL.
    await app.pebble.challtestsrv("/set-servfail", { host: "broken.example.test" });
    const report = await check("broken.example.test");
    const [dns] = only(report, "dns");
    assert.equal(dns.status, "fail");
    assert.equal(
      dns.message,
      "The DNS servers for broken.example.test answer SERVFAIL (they failed to answer), and the CA will not validate a name it cannot look up.",
    );
    assert.match(dns.fix ?? "", /DNSSEC/);
    assert.equal(only(report, "http").length, 0, "no address, nothing to probe");
    const [caa] = only(report, "caa");
    assert.equal(caa.status, "fail");
    assert.match(caa.message, /^The CAA lookup for broken\.example\.test fails \(SERVFAIL\)/);
  });

  it("explains a name without A or AAAA records", async () => {
    // challtestsrv answers A 127.0.0.1 for every unknown name and never NXDOMAIN. With the default
    // cleared (/set-default-ipv4 {ip: ""}) and no record added, the answer is NOERROR with no
    // records (ENODATA). The default is restored for the other tests.
    await app.pebble.challtestsrv("/set-default-ipv4", { ip: "" });
    let report: PreflightReport;
    try {
      report = await check("empty.example.test");
    } finally {
      await app.pebble.challtestsrv("/set-default-ipv4", { ip: "127.0.0.1" });
    }
    const [dns] = only(report, "dns");
    assert.equal(dns.status, "fail");
    assert.equal(dns.message, "empty.example.test exists in DNS but has no A or AAAA record, so the CA has no address to connect to.");
    assert.equal(
      dns.fix,
      "Create an A record for empty.example.test pointing at 127.0.0.1 at your DNS provider. New records can take a few minutes to appear.",
    );
  });

  it("says so when the configured resolver does not answer, without blocking the order", async () => {
    // challtestsrv: not involved; the setting points at a port where no DNS server listens.
    const { findFreePort } = await import("../lib/testbed/pebble-testbed");
    await app.modules.settings.setSetting("dnsResolvers", `127.0.0.1:${await findFreePort()}`);
    let report: PreflightReport;
    try {
      report = await check("anything.example.test");
    } finally {
      await app.modules.settings.setSetting("dnsResolvers", app.pebble.dnsServer);
    }
    assert.equal(report.status, "warn", summary(report));
    const [dns] = only(report, "dns");
    assert.match(dns.message, /^The DNS resolver 127\.0\.0\.1:\d+ refused the query for anything\.example\.test, so CertDeck could not check it\.$/);
    assert.equal(only(report, "caa").length, 0, "CAA is not asked of a resolver that does not answer");
    assert.equal(preflight.preflightBlocksOrder(report), false);
  });

  it("says the nginx location block is missing when port 80 answers 404", async () => {
    // challtestsrv: nothing. A stand-in for nginx without the location block answers 404.
    const nginx = await serveChallengeRoute(app.httpPort, {
      GET: async () => new Response("<html>404 Not Found</html>", { status: 404, headers: { server: "nginx/1.22.1" } }),
    });
    let report: PreflightReport;
    try {
      report = await check("app404.example.test");
    } finally {
      await nginx.close();
    }
    const [probe] = only(report, "http");
    assert.equal(probe.status, "fail");
    assert.match(
      probe.message,
      new RegExp(
        `^nginx at 127\\.0\\.0\\.1 answered 404 for http://app404\\.example\\.test:${app.httpPort}/\\.well-known/acme-challenge/certdeck-probe-[0-9a-f]{32}: the location block that forwards /\\.well-known/acme-challenge/ to CertDeck is missing\\.$`,
      ),
    );
    assert.equal(nginx.requests.length, 1);
    assert.equal(await probeRowsLeft(), 0);
  });

  it("names the process that holds the standalone port, and does not probe", async () => {
    // challtestsrv: nothing. This test process listens on the port itself, so the holder is "node".
    const squatter = http.createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => squatter.listen(app.httpPort, "127.0.0.1", resolve));
    let report: PreflightReport;
    try {
      report = await check("busy.example.test", "http-01-standalone");
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    const [port] = only(report, "standalone-port");
    assert.equal(port.status, "fail");
    assert.equal(port.message, `Port ${app.httpPort} is held by node (pid ${process.pid}).`);
    assert.equal(port.fix, `Don't stop node: switch this certificate to "served by CertDeck" and add the location block, or use the webroot method.`);
    assert.equal(only(report, "http").length, 0);
  });

  it("opens the standalone listener for the probe when the port is free", async () => {
    const report = await check("standalone.example.test", "http-01-standalone");
    assert.equal(report.status, "pass", summary(report));
    assert.equal(only(report, "standalone-port")[0].message, `Port ${app.httpPort} is free: the standalone listener can open it while the CA validates.`);
    assert.equal(only(report, "http")[0].status, "pass");
    // ... and closes it again.
    await new Promise<void>((resolve, reject) => {
      const server = http.createServer().once("error", reject);
      server.listen(app.httpPort, () => server.close(() => resolve()));
    });
  });

  it("writes the probe into the webroot and removes it", async () => {
    const webroot = await mkdtemp(path.join(os.tmpdir(), "certdeck-webroot-"));
    const server = http.createServer(async (request, response) => {
      const file = path.join(webroot, decodeURIComponent((request.url ?? "/").split("?")[0]));
      try {
        response.writeHead(200, { "content-type": "text/plain" }).end(await readFile(file));
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(app.httpPort, "127.0.0.1", resolve));
    let report: PreflightReport;
    try {
      report = await check("webroot.example.test", "http-01-webroot", { webrootPath: webroot });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.equal(report.status, "pass", summary(report));
    assert.deepEqual(await readdir(webroot), [], "the probe file and the directories it created are gone");
  });

  describe("CAA", () => {
    let letsEncryptLikeAccountId: string;
    let directory: http.Server;

    before(async () => {
      // Pebble's directory lists no caaIdentities, so a stand-in directory that lists Let's
      // Encrypt's lets the check judge records the way it does for a real Let's Encrypt account.
      directory = http.createServer((_request, response) => {
        const base = `http://127.0.0.1:${(directory.address() as AddressInfo).port}`;
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            newNonce: `${base}/nonce`,
            newAccount: `${base}/account`,
            newOrder: `${base}/order`,
            meta: { caaIdentities: ["letsencrypt.org"] },
          }),
        );
      });
      await new Promise<void>((resolve) => directory.listen(0, "127.0.0.1", resolve));
      const account = await app.modules.db.acmeAccount.create({
        data: {
          label: "Let's Encrypt stand-in",
          directoryUrl: `http://127.0.0.1:${(directory.address() as AddressInfo).port}/dir`,
          email: "ops@example.test",
          accountKeyEnc: "unused",
          status: "valid",
          privateNetwork: true,
        },
      });
      letsEncryptLikeAccountId = account.id;
    });

    after(() => directory?.close());

    it("names the CAA record on the parent domain that does not allow the CA", async () => {
      // challtestsrv: /add-caa {host: "corp.example.test", policies: [{tag: "issue", value: "digicert.com"}]}.
      await app.pebble.challtestsrv("/add-caa", { host: "corp.example.test", policies: [{ tag: "issue", value: "digicert.com" }] });
      const report = await withChallengeRoute(() => check("shop.corp.example.test", "http-01-app", { accountId: letsEncryptLikeAccountId }));
      const [caa] = only(report, "caa");
      assert.equal(caa.status, "fail");
      assert.equal(caa.message, 'corp.example.test has CAA 0 issue "digicert.com": it does not allow Let\'s Encrypt (letsencrypt.org).');
      assert.equal(caa.fix, 'Add 0 issue "letsencrypt.org" to the CAA records of corp.example.test (keep the others if you still use those CAs).');
      assert.equal(report.status, "fail");
    });

    it("passes a CAA record that allows the CA, with parameters", async () => {
      // challtestsrv: /add-caa with value "letsencrypt.org; validationmethods=http-01".
      await app.pebble.challtestsrv("/add-caa", {
        host: "allowed.example.test",
        policies: [{ tag: "issue", value: "letsencrypt.org; validationmethods=http-01" }],
      });
      const report = await withChallengeRoute(() => check("allowed.example.test", "http-01-app", { accountId: letsEncryptLikeAccountId }));
      assert.equal(report.status, "pass", summary(report));
      assert.equal(
        only(report, "caa")[0].message,
        'allowed.example.test has CAA 0 issue "letsencrypt.org; validationmethods=http-01": it allows Let\'s Encrypt (letsencrypt.org).',
      );
    });

    it("cannot tell when the CA's directory names no CAA identity (Pebble)", async () => {
      const report = await withChallengeRoute(() => check("shop.corp.example.test"));
      const [caa] = only(report, "caa");
      assert.equal(caa.status, "warn");
      assert.match(caa.message, /^corp\.example\.test has CAA 0 issue "digicert\.com", and the CA's directory does not say which CAA name it goes by/);
      assert.equal(caa.fix, 'Ask the CA for its CAA identity and make sure corp.example.test has an "issue" record for it.');
      assert.equal(report.status, "warn");
      assert.equal(preflight.preflightBlocksOrder(report), false);
    });
  });

  it("checks a stored certificate by id and saves the report on it", async () => {
    const certificate = await app.modules.db.certificate.create({
      data: {
        name: "stored.example.test",
        identifiers: JSON.stringify([
          { type: "dns", value: "stored.example.test" },
          { type: "dns", value: "www.stored.example.test" },
        ]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        accountId,
      },
    });
    await app.pebble.addA("www.stored.example.test", ["127.0.0.2"]);
    const now = new Date("2026-05-01T10:00:00Z");
    const report = await withChallengeRoute(() => preflight.runPreflight(certificate.id, { now }));
    assert.equal(report.checkedAt, now.toISOString());
    assert.deepEqual([...new Set(report.checks.map((item) => item.identifier))], ["stored.example.test", "www.stored.example.test"]);
    assert.equal(report.status, "fail");
    await preflight.savePreflightReport(certificate.id, report);
    const stored = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    assert.equal(stored.lastPreflightAt?.toISOString(), now.toISOString());
    assert.deepEqual(types.parsePreflightReport(stored.lastPreflight), report);
  });
});
